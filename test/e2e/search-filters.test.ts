import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { addresses, protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

/**
 * A name search combined with a municipality, a birth-date range or a country reads the copies of those
 * facts that person_name_words keeps (migration 0040): what a user notices is that a move, a birth-date
 * correction or a name change shows in the next search, and that a person whose address is hidden from
 * the caller is never found by name and municipality, wherever they move.
 */
let tova: FixturePerson;
let tyra: FixturePerson;
let hidden: FixturePerson;
let reader: Record<string, string>;
let writer: Record<string, string>;

const SEARCH = `query($filter: PersonSearchFilter!) { searchPersons(filter: $filter, first: 100) { edges { node { id } } } }`;
const MOVE = `mutation($input: MoveAddressInput!) { moveAddress(input: $input) { address { municipalityCode } } }`;

const env = useTestStack({
  seed: async (db) => {
    const person = (serial: number, givenNames: string, birthDate: string) =>
      insertPerson(db, {
        identifier: personalIdentityNumber({ birthDate, serial }),
        givenNames,
        familyName: 'Sökfiltersson',
        birthDate,
        municipalityCode: '0180',
      });
    tova = await person(101, 'Tova', '1980-05-05');
    tyra = await person(102, 'Tyra', '1995-07-07');
    hidden = await person(103, 'Tilde', '1970-06-06');
    await db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
  },
});

beforeAll(async () => {
  reader = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'searcher' })}` };
  writer = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read address:write', sub: 'clerk' })}` };
});

async function found(filter: Record<string, unknown>): Promise<string[]> {
  const res = await env.stack.query(SEARCH, { filter }, reader);
  expect(res.errors).toBeUndefined();
  return res.data.searchPersons.edges.map((e: { node: { id: string } }) => e.node.id).sort();
}

async function move(p: FixturePerson, municipalityCode: string, postalCode: string, movedOn: string) {
  const res = await env.stack.query(
    MOVE,
    { input: { personId: p.id, movedOn, address: { countryCode: 'SE', municipalityCode, streetName: 'Nygatan', houseNumber: '1', postalCode } } },
    writer,
  );
  expect(res.errors).toBeUndefined();
}

describe('name search with the other criteria', () => {
  it('finds by name and municipality, birth-date range and country together', async () => {
    expect(await found({ name: 'sokfiltersson', municipalityCode: '0180' })).toEqual([tova.id, tyra.id].sort());
    expect(await found({ name: 'sokfilt', birthDateFrom: '1980-01-01', birthDateTo: '1989-12-31' })).toEqual([tova.id]);
    expect(await found({ name: 'sokfiltersson', municipalityCode: '0180', country: 'SE', birthDateFrom: '1990-01-01' })).toEqual([tyra.id]);
    expect(await found({ name: 'sokfiltersson', country: 'DK' })).toEqual([]);
  });

  it('follows a move at once: the person is found in the new municipality, not the old', async () => {
    await move(tova, '1480', '411 01', '2025-03-01');
    expect(await found({ name: 'sokfiltersson', municipalityCode: '1480' })).toEqual([tova.id]);
    expect(await found({ name: 'sokfiltersson', municipalityCode: '0180' })).toEqual([tyra.id]);
    // The same answer as the municipality alone gives, which reads persons, not the words.
    expect((await found({ municipalityCode: '1480' })).includes(tova.id)).toBe(true);
  });

  it('follows a name change with the municipality kept', async () => {
    const res = await env.stack.query(
      `mutation($input: ChangeNameInput!) { changeName(input: $input) { person { id } } }`,
      { input: { personId: tyra.id, givenNames: 'Tyra', familyName: 'Nyfiltersson', validFrom: '2025-04-01' } },
      { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read register:write', sub: 'clerk' })}` },
    );
    expect(res.errors).toBeUndefined();
    expect(await found({ name: 'nyfiltersson', municipalityCode: '0180', birthDateFrom: '1995-07-07', birthDateTo: '1995-07-07' })).toEqual([tyra.id]);
    expect(await found({ name: 'sokfiltersson', municipalityCode: '0180' })).toEqual([]);
  });

  it('never finds a person whose address is hidden by name and municipality, before or after it changes', async () => {
    expect(await found({ name: 'sokfiltersson', municipalityCode: '0180' })).not.toContain(hidden.id);
    // A registrar's correction of her registered address, written as the ingest writes (SQL on addresses).
    await env.db.update(addresses).set({ municipalityCode: '2584' }).where(eq(addresses.personId, hidden.id));
    for (const municipalityCode of ['0180', '2584', '1480']) {
      expect(await found({ name: 'tilde', municipalityCode })).toEqual([]);
      expect(await found({ name: 'sokfiltersson', municipalityCode })).not.toContain(hidden.id);
    }
    // Her name is not hidden (SE_PROTECTED_REGISTRATION hides the address): by name alone she is found.
    expect(await found({ name: 'tilde sokfiltersson' })).toEqual([hidden.id]);
  });
});
