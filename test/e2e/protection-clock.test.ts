import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, graphql, useTestStack } from '../support/stack.js';

/**
 * "A protection marker in force" is one rule on one clock — the register's date (Europe/Stockholm) —
 * for every path: the person read and its masking, events about the person, search, and the writes of
 * the person and family subgraphs. The process clock is set (not waited for) to one minute before and
 * one minute after local midnight on 15/16 June 2026, when the UTC date is still the 15th and the
 * database server's `current_date` is whatever day the suite runs on.
 */

const BEFORE_MIDNIGHT = new Date('2026-06-15T21:59:00Z'); // 23:59 on 15 June in Stockholm (CEST)
const AFTER_MIDNIGHT = new Date('2026-06-15T22:01:00Z'); // 00:01 on 16 June in Stockholm; UTC still 15 June
const MUNICIPALITY = '0184'; // Solna: only this file's persons live there

/** Protected registration from 16 June: "tomorrow" before midnight, "today" after. */
let starting: FixturePerson;
/** Protected registration until (not on) 16 June: in force before midnight, ended "today" after. */
let ending: FixturePerson;
const contactVersion = new Map<string, number>();

beforeAll(() => {
  // Only Date is faked (timers, sockets and the database run as always), and it keeps moving.
  vi.useFakeTimers({ toFake: ['Date'], now: BEFORE_MIDNIGHT, shouldAdvanceTime: true });
});

const env = useTestStack({
  seed: async (db) => {
    starting = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1980-03-03', serial: 101 }),
      givenNames: 'Börjar',
      familyName: 'Imorgon',
      birthDate: '1980-03-03',
      municipalityCode: MUNICIPALITY,
    });
    ending = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1981-04-04', serial: 202 }),
      givenNames: 'Slutar',
      familyName: 'Idag',
      birthDate: '1981-04-04',
      municipalityCode: MUNICIPALITY,
    });
    await db.insert(protectionMarkers).values([
      { personId: starting.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2026-06-16' },
      { personId: ending.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01', validTo: '2026-06-16' },
    ]);
    for (const p of [starting, ending]) {
      await db.transaction((tx) =>
        appendChangeEvents(tx, [
          {
            type: 'MOVE',
            personId: p.id,
            identifier: p.identifier,
            municipalityBefore: '0180',
            municipalityAfter: MUNICIPALITY,
            occurredAt: new Date('2025-03-01T00:00:00Z'),
          },
        ]),
      );
    }
  },
});

afterAll(() => {
  vi.useRealTimers();
});

/** What each path of the graph says about whether `person`'s marker is in force now. */
async function inForceBy(person: FixturePerson): Promise<Record<string, boolean>> {
  const read = await env.stack.query(`query($i: String!) { person(identifier: $i) { protectionMarkers { kind } address { postalCode } } }`, {
    i: person.identifier,
  });
  const events = await env.stack.query(`{ changeEvents(first: 500) { edges { node { person { id address { postalCode } } } } } }`);
  const event = events.data.changeEvents.edges.findIndex((e: any) => e.node.person?.id === person.id);
  const search = await env.stack.query(
    `query($m: String!) { searchPersons(filter: { municipalityCode: $m, country: SE }, first: 100) { edges { node { id } } } }`,
    { m: MUNICIPALITY },
  );

  const writer = await env.stack.issue({ scope: 'folkreg:read person:write family:write', sub: 'clock-writer' });
  const write = (query: string, variables: Record<string, unknown>) => graphql(env.stack.gateway.url, query, variables, { authorization: `Bearer ${writer}` });
  const version = contactVersion.get(person.id) ?? 0;
  const contact = await write(`mutation($in: ContactDetailsInput!) { updateContactDetails(input: $in) { version } }`, {
    in: { personId: person.id, version, phone: `+46 70 123 45 ${version}` },
  });
  if (!contact.errors) contactVersion.set(person.id, contact.data.updateContactDetails.version);
  const family = await write(`mutation($in: RecordFamilyRelationInput!) { recordFamilyRelation(input: $in) { relation { id } } }`, {
    in: { personId: person.id, kind: 'SPOUSE', relativeName: `Make ${version}`, relativeBirthDate: '1979-01-01', since: '2026-06-01' },
  });
  const refused = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => {
    if (r.errors && !codes(r as any).includes('PROTECTED_IDENTITY')) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
    return !!r.errors;
  };
  return {
    'Person.protectionMarkers': read.data.person.protectionMarkers.length > 0,
    'masking of a read': read.data.person.address === null && codes(read).includes('PROTECTED_IDENTITY'),
    // The subgraphs' second line (subgraphs/shared/protected-fields.ts) follows the same rule: an address
    // not yet protected is shown, not silently null.
    'address withheld': read.data.person.address === null,
    'masking of an event': events.data.changeEvents.edges[event].node.person.address === null && (events.errors ?? []).some((e) => e.path?.[2] === event),
    'search leaves the person out': !search.data.searchPersons.edges.some((e: any) => e.node.id === person.id),
    'updateContactDetails refused': refused(contact),
    'recordFamilyRelation refused': refused(family),
  };
}

const everywhere = (inForce: boolean) => ({
  'Person.protectionMarkers': inForce,
  'masking of a read': inForce,
  'address withheld': inForce,
  'masking of an event': inForce,
  'search leaves the person out': inForce,
  'updateContactDetails refused': inForce,
  'recordFamilyRelation refused': inForce,
});

describe('a protection marker is in force on the register’s date, on every path', () => {
  it('at 23:59 Stockholm time: a marker starting tomorrow does not protect yet, one ending tomorrow still does', async () => {
    vi.setSystemTime(BEFORE_MIDNIGHT);
    expect(await inForceBy(starting)).toEqual(everywhere(false));
    expect(await inForceBy(ending)).toEqual(everywhere(true));
  });

  it('at 00:01 Stockholm time (still the 15th in UTC): the marker starting today protects, the one ending today no longer does', async () => {
    vi.setSystemTime(AFTER_MIDNIGHT);
    expect(await inForceBy(starting)).toEqual(everywhere(true));
    expect(await inForceBy(ending)).toEqual(everywhere(false));
  });
});
