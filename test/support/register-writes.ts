/** What the tests of the register's writes share: the write's call, its events as a reader sees them, and "nothing written". */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { selectRows, type Db } from '../../db/client.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import type { GraphQLResponse, TestStack } from './stack.js';

const EVENTS = /* GraphQL */ `
  query Events($after: String) {
    changeEvents(after: $after, first: 500) {
      edges {
        node {
          type
          cprChangeCode
          identifier
          municipalityBefore
          municipalityAfter
          person {
            id
          }
        }
      }
    }
  }
`;

/** The change events about `personId` a `folkreg:read` caller pulls, in log order. */
export async function eventsOf(stack: TestStack, personId: string): Promise<{ type: string; cprChangeCode: string | null; [field: string]: unknown }[]> {
  const res = await stack.query(EVENTS);
  expect(res.errors).toBeUndefined();
  return res.data.changeEvents.edges
    .map((e: { node: { person: { id: string } | null } }) => e.node)
    .filter((n: { person: { id: string } | null }) => n.person?.id === personId);
}

/**
 * A fingerprint of everything a register write may change: the number of change events, and the rows of
 * the person tables with their values. Equal before and after a refused write: nothing was written.
 */
export async function registerState(db: Db): Promise<string> {
  const [row] = await selectRows<{ state: string }>(
    db,
    sql`select json_build_array(
          (select count(*) from change_events),
          (select json_agg(p order by p.id) from (select id, status, status_date, civil_status, civil_status_since, citizenships from persons) p),
          (select json_agg(m order by m.id) from protection_markers m),
          (select json_agg(n order by n.id) from (select id, person_id, given_names, family_name, valid_from, valid_to from person_names) n),
          (select json_agg(i order by i.id) from (select id, person_id, value, valid_from, valid_to from person_identifiers) i),
          (select json_agg(c order by c.id) from (select id, person_id, country, valid_from, valid_to from person_citizenships) c)
        )::text as state`,
  );
  return row!.state;
}

/** The response was refused with `code` and `reason`, and the register is as it was (`before`). */
export async function expectRefused(db: Db, res: GraphQLResponse, code: string, reason: string, before: string): Promise<void> {
  expect(res.errors?.[0]?.extensions).toMatchObject({ code, reason });
  expect(await registerState(db)).toBe(before);
}

/** A Swedish fixture person born on `birthDate`, their personnummer from `serial` (`insertPerson`'s input). */
export function swede(birthDate: string, serial: number, givenNames: string, familyName: string) {
  return { identifier: personalIdentityNumber({ birthDate, serial }), givenNames, familyName, birthDate } as const;
}
