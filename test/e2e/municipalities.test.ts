import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { changeEvents } from '../../db/schema/index.js';
import { DANISH_REGIONS, MUNICIPALITIES, SWEDISH_COUNTIES } from '../../kernel/municipalities.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

/**
 * Every municipality of both registers is one an address can be in, a search can ask for and an event
 * filter can select: a move into one municipality of each län and region the reference list held no
 * municipality of before but the county seat (Arvidsjaur, Læsø …), read back with its county's name.
 */
let sven: FixturePerson;
let mette: FixturePerson;
let writer: Record<string, string>;

const MOVE = /* GraphQL */ `
  mutation Move($input: MoveAddressInput!) {
    moveAddress(input: $input) {
      address {
        municipalityCode
        municipalityName
        countyCode
        countyName
      }
    }
  }
`;

const env = useTestStack({
  seed: async (db) => {
    sven = await insertPerson(db, { identifier: '198211059954', givenNames: 'Sven', familyName: 'Ek', sex: 'MALE' });
    mette = await insertPerson(db, { identifier: '0101801234', country: 'DK', givenNames: 'Mette', familyName: 'Holm' });
  },
});

beforeAll(async () => {
  writer = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read address:write', sub: 'clerk' })}` };
});

/** The first municipality of each county or region in list order that is not its seat (…80 in Sweden). */
function onePerCounty(country: 'SE' | 'DK') {
  const seen = new Set<string>();
  return MUNICIPALITIES.filter((m) => {
    if (m.country !== country || m.kind !== 'MUNICIPALITY' || seen.has(m.countyCode!) || m.code.endsWith('80') || m.code === '101') return false;
    seen.add(m.countyCode!);
    return true;
  });
}

function addressIn(country: 'SE' | 'DK', code: string, i: number) {
  return {
    countryCode: country,
    municipalityCode: code,
    streetName: 'Kyrkvägen',
    houseNumber: String(i + 1),
    postalCode: country === 'SE' ? '999 99' : '9999',
  };
}

describe('every municipality', () => {
  it('a move into one municipality of every Swedish län and Danish region, each with its county name', async () => {
    for (const [person, country] of [
      [sven, 'SE'],
      [mette, 'DK'],
    ] as const) {
      const targets = onePerCounty(country);
      expect(targets).toHaveLength(country === 'SE' ? 20 : 5); // Gotland's one municipality is its seat
      for (const [i, m] of targets.entries()) {
        const movedOn = `${2011 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
        const res = await env.stack.query(MOVE, { input: { personId: person.id, movedOn, address: addressIn(country, m.code, i) } }, writer);
        expect(res.errors, m.name).toBeUndefined();
        expect(res.data.moveAddress.address).toEqual({
          municipalityCode: m.code,
          municipalityName: m.name,
          countyCode: m.countyCode,
          countyName: country === 'SE' ? SWEDISH_COUNTIES[m.countyCode!] : DANISH_REGIONS[m.countyCode!],
        });
      }
      const last = targets.at(-1)!;
      // The last one is where the person lives: a search by its code finds them, in every written form.
      const forms = country === 'SE' ? [last.code] : [last.code, `0${last.code}`];
      for (const code of forms) {
        const found = await env.stack.query(`query($c: String!) { searchPersons(filter: { municipalityCode: $c }) { edges { node { id } } } }`, { c: code });
        expect(found.errors, code).toBeUndefined();
        expect(found.data.searchPersons.edges.map((e: any) => e.node.id)).toEqual([person.id]);
      }
      // An event filter on each municipality selects the moves into it and out of it.
      const first = targets[0]!;
      const pull = await env.stack.query(
        `query($c: String!) { changeEvents(first: 10, filter: { municipalityCodes: [$c] }) { edges { node { type municipalityBefore municipalityAfter } } } }`,
        {
          c: first.code,
        },
      );
      expect(pull.errors).toBeUndefined();
      expect(pull.data.changeEvents.edges.map((e: any) => e.node)).toEqual([
        { type: 'MOVE', municipalityBefore: country === 'SE' ? '0180' : '101', municipalityAfter: first.code },
        { type: 'MOVE', municipalityBefore: first.code, municipalityAfter: targets[1]!.code },
      ]);
    }
  });

  it("refuses CPR's Greenland codes for a Danish registered address, and writes nothing; a filter or search may name them", async () => {
    const before = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from change_events`);
    for (const code of ['956', '0956']) {
      const res = await env.stack.query(MOVE, { input: { personId: mette.id, movedOn: '2014-01-01', address: addressIn('DK', code, 0) } }, writer);
      expect(res.data?.moveAddress ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_MUNICIPALITY' });
      expect(res.errors?.[0]?.message).toContain('Grønland');
    }
    const after = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from change_events`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await env.db.select().from(changeEvents).where(eq(changeEvents.municipalityAfter, '956'))).toEqual([]);
    // Events an extract brings may carry them: a filter on one is valid and matches none of these.
    const pull = await env.stack.query(`{ changeEvents(first: 5, filter: { municipalityCodes: ["0956"] }) { edges { cursor } } }`);
    expect(pull.errors).toBeUndefined();
    expect(pull.data.changeEvents.edges).toEqual([]);
    const search = await env.stack.query(`{ searchPersons(filter: { municipalityCode: "956" }) { edges { node { id } } } }`);
    expect(search.errors).toBeUndefined();
    expect(search.data.searchPersons.edges).toEqual([]);
  });
});
