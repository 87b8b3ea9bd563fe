import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { totals } from '../../kernel/cost-counters.js';
import { readChangeEvents } from '../../db/outbox.js';
import { addresses, contactDetails, personIdentifiers, personNames, protectionMarkers } from '../../db/schema/index.js';
import { personSubgraph } from '../../subgraphs/person/index.js';
import { type Caller } from '../../kernel/caller.js';
import { cprNumber, personalIdentityNumber } from '../../kernel/identifiers.js';
import { AUTHORITY, callerFor } from '../support/callers.js';
import { useSubgraph } from '../support/subgraph.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, type GraphQLResponse } from '../support/stack.js';

/** A caller of the ordinary kind: the default policy hides the SE reduced profile and DK name/address. */
const reader: Caller = callerFor({ subject: 'reader', scopes: ['folkreg:read'] });
const writer: Caller = callerFor({ subject: 'writer', scopes: ['folkreg:read', 'person:write'] });
/** Entitled to every protected person's data: nothing hidden. */
const authority: Caller = callerFor({ subject: 'authority', ...AUTHORITY, scopes: ['folkreg:read', 'person:write', ...AUTHORITY.scopes] });

async function call<T = any>(query: string, variables: Record<string, unknown> = {}, caller: Caller = reader): Promise<GraphQLResponse<T>> {
  return subgraph.call<T>(caller, query, variables);
}

const pnr = (birthDate: string, serial: number, coordination = false) => personalIdentityNumber({ birthDate, serial, coordination });
const wrongCheckDigit = (id: string) => `${id.slice(0, -1)}${(Number(id.at(-1)) + 1) % 10}`;
let ostlund: FixturePerson;
let replaced: { old: string; current: string; person: FixturePerson };
let coordination: FixturePerson;
let protectedDk: FixturePerson;
let protectedSe: FixturePerson;

const subgraph = useSubgraph(personSubgraph, async (db) => {
  ostlund = await insertPerson(db, {
    identifier: pnr('1985-03-14', 123),
    givenNames: 'Anna',
    familyName: 'Östlund',
    birthDate: '1985-03-14',
    municipalityCode: '1480',
  });
  await insertPerson(db, { identifier: pnr('1985-03-14', 234), givenNames: 'Åke', familyName: 'Ostlund', birthDate: '1985-03-14', municipalityCode: '0180' });
  await insertPerson(db, { identifier: pnr('1990-07-01', 345), givenNames: 'Anna', familyName: 'Berg', birthDate: '1990-07-01', municipalityCode: '1480' });
  coordination = await insertPerson(db, {
    identifier: pnr('1985-03-14', 456, true),
    kind: 'COORDINATION_NUMBER',
    givenNames: 'Olek',
    familyName: 'Nowak',
    birthDate: '1985-03-14',
  });
  // A replaced number (e.g. after a corrected birth date) keeps finding the person.
  const current = pnr('1972-05-02', 567);
  const old = pnr('1972-05-01', 567);
  const person = await insertPerson(db, { identifier: current, givenNames: 'Karin', familyName: 'Holm', birthDate: '1972-05-02' });
  await db
    .insert(personIdentifiers)
    .values({ personId: person.id, kind: 'PERSONAL_IDENTITY_NUMBER', value: old, validFrom: '1972-05-01', validTo: '2001-01-01' });
  replaced = { old, current, person };
  protectedDk = await insertPerson(db, {
    identifier: cprNumber({ birthDate: '1985-03-14', serial: 7, sex: 'FEMALE' }),
    country: 'DK',
    givenNames: 'Anne',
    familyName: 'Østlund',
    birthDate: '1985-03-14',
    municipalityCode: '101',
  });
  await db.insert(protectionMarkers).values({ personId: protectedDk.id, kind: 'DK_NAME_AND_ADDRESS', validFrom: '2020-01-01' });
  protectedSe = await insertPerson(db, {
    identifier: pnr('1985-03-14', 678),
    givenNames: 'Sara',
    familyName: 'Ek',
    birthDate: '1985-03-14',
    municipalityCode: '1480',
  });
  await db.insert(protectionMarkers).values({ personId: protectedSe.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
});

const BATCH = `query($ids: [String!]!, $country: Country) {
  persons(identifiers: $ids, country: $country) {
    input status reason message
    matchedIdentifier { value current }
    person { id identifier { value } name { familyName } birthDate status }
  }
}`;

describe('persons(identifiers:) batch lookup', () => {
  it('answers item by item: found (any form), replaced number, not found, and each kind of invalid input', async () => {
    const ids = [
      `${ostlund.identifier.slice(2, 8)}-${ostlund.identifier.slice(8)}`,
      replaced.old,
      pnr('1999-09-09', 999),
      '850314-12', // wrong length
      '1985031A-1234', // non-digit
      '19850230-1234', // impossible date
      wrongCheckDigit(ostlund.identifier),
    ];
    const res = await call(BATCH, { ids });
    expect(res.errors).toBeUndefined();
    const items = res.data.persons;
    expect(items.map((i: any) => i.input)).toEqual(ids);
    expect(items.map((i: any) => i.status)).toEqual(['FOUND', 'FOUND', 'NOT_FOUND', 'INVALID', 'INVALID', 'INVALID', 'INVALID']);
    expect(items[0].person).toMatchObject({ id: ostlund.id, name: { familyName: 'Östlund' }, birthDate: '1985-03-14' });
    expect(items[1].matchedIdentifier).toEqual({ value: replaced.old, current: false });
    expect(items[1].person.identifier.value).toBe(replaced.current);
    expect(items.slice(3).map((i: any) => i.reason)).toEqual(['LENGTH', 'CHARACTERS', 'IMPOSSIBLE_DATE', 'CHECK_DIGIT']);
    expect(items[3].message).toMatch(/10 or 12/);
  });

  it('500 identifiers cost one SQL statement, person fields included', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => (i % 2 ? ostlund.identifier : pnr('1960-01-01', i + 1)));
    const before = totals.sqlStatements;
    const res = await call(`query($ids: [String!]!) { persons(identifiers: $ids) { status person { id birthDate status sex country } } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(totals.sqlStatements - before).toBe(1);
    expect(res.data.persons).toHaveLength(500);
    expect(res.data.persons.filter((p: any) => p.status === 'FOUND')).toHaveLength(250);
  });

  it('citizenship history of 500 persons costs one SQL statement more, one batch', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => (i % 2 ? ostlund.identifier : replaced.current));
    const before = totals.sqlStatements;
    const res = await call(
      `query($ids: [String!]!) { persons(identifiers: $ids) { person { id citizenshipHistory { country validFrom validTo current } } } }`,
      {
        ids,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(totals.sqlStatements - before).toBe(2);
    expect(res.data.persons[0].person.citizenshipHistory).toEqual([{ country: 'SE', validFrom: null, validTo: null, current: true }]);
  });

  it('501 identifiers are refused with BAD_USER_INPUT naming the limit', async () => {
    const res = await call(BATCH, { ids: Array.from({ length: 501 }, () => ostlund.identifier) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.reason).toBe('BATCH_TOO_LARGE');
    expect(res.errors![0]!.message).toContain('500');
  });
});

const SEARCH = `query($filter: PersonSearchFilter!, $first: Int, $after: String) {
  searchPersons(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name { givenNames familyName } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function searchIds(filter: Record<string, unknown>, caller: Caller = reader): Promise<string[]> {
  const res = await call(SEARCH, { filter, first: 100 }, caller);
  expect(res.errors).toBeUndefined();
  return res.data.searchPersons.edges.map((e: any) => e.node.id);
}

describe('searchPersons', () => {
  it('by name, case- and diacritic-insensitive: Ostlund finds Östlund and Ostlund, not the protected Østlund', async () => {
    const ids = await searchIds({ name: 'ostLUND' });
    expect(ids).toHaveLength(2);
    expect(ids).toContain(ostlund.id);
    expect(ids).not.toContain(protectedDk.id);
    expect(await searchIds({ name: 'Anna Östl' })).toEqual([ostlund.id]);
    // A caller the name is not hidden from finds the protected person too.
    expect(await searchIds({ name: 'ostlund' }, authority)).toContain(protectedDk.id);
  });

  it('by personnummer prefix YYYYMMDD or YYMMDD; a samordningsnummer only in full', async () => {
    const long = await searchIds({ identifierPrefix: '19850314' });
    const short = await searchIds({ identifierPrefix: '850314' });
    expect(short).toEqual(long);
    expect(long).toHaveLength(3); // Östlund, Ostlund, Ek — not the samordningsnummer
    expect(long).not.toContain(coordination.id);
    expect(await searchIds({ identifierPrefix: coordination.identifier })).toEqual([coordination.id]);
    const partial = await call(SEARCH, { filter: { identifierPrefix: coordination.identifier.slice(0, 8) } });
    expect(partial.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PARTIAL_COORDINATION_NUMBER' });
  });

  it('by birth-date range and by municipality, leaving out persons whose protection hides the searched attribute', async () => {
    const born = await searchIds({ birthDateFrom: '1985-01-01', birthDateTo: '1985-12-31' });
    expect(born).toHaveLength(5); // neither protection here hides the birth date
    const inKungsbacka = await searchIds({ municipalityCode: '1480' });
    expect(inKungsbacka).toHaveLength(2);
    expect(inKungsbacka).not.toContain(protectedSe.id); // skyddad folkbokföring hides the address
    expect(await searchIds({ municipalityCode: '1480' }, authority)).toContain(protectedSe.id);
    expect(await searchIds({ municipalityCode: '1480', name: 'anna' })).toHaveLength(2);
    expect(await searchIds({ municipalityCode: '1480', birthDateTo: '1986-01-01' })).toEqual([ostlund.id]);
  });

  it('a move (old address ended, new one registered) moves the person between municipality searches; a name change re-indexes the name', async () => {
    const mover = await insertPerson(subgraph.db, {
      identifier: pnr('1977-07-07', 321),
      givenNames: 'Lars',
      familyName: 'Flytt',
      birthDate: '1977-07-07',
      municipalityCode: '0180',
    });
    expect(await searchIds({ municipalityCode: '0180', name: 'flytt' })).toEqual([mover.id]);
    await subgraph.db.transaction(async (tx) => {
      await tx.update(addresses).set({ validTo: '2024-01-01' }).where(eq(addresses.personId, mover.id));
      await tx.insert(addresses).values({ personId: mover.id, kind: 'REGISTERED', countryCode: 'SE', municipalityCode: '1480', validFrom: '2024-01-01' });
      await tx.update(personNames).set({ validTo: '2024-01-01' }).where(eq(personNames.personId, mover.id));
      await tx.insert(personNames).values({ personId: mover.id, givenNames: 'Lars', familyName: 'Ny', searchKey: 'lars ny', validFrom: '2024-01-01' });
    });
    expect(await searchIds({ municipalityCode: '0180', name: 'lars' })).toEqual([]);
    expect(await searchIds({ municipalityCode: '1480', name: 'lars' })).toEqual([mover.id]);
    expect(await searchIds({ name: 'flytt' })).toEqual([]);
    // Emigration: the registered address ends without a successor.
    await subgraph.db.update(addresses).set({ validTo: '2025-01-01' }).where(eq(addresses.personId, mover.id));
    expect(await searchIds({ municipalityCode: '1480', name: 'lars' })).toEqual([]);
  });

  it('pages with signed cursors bound to the search', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: GraphQLResponse = await call(SEARCH, { filter: { birthDateFrom: '1900-01-01' }, first: 2, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.searchPersons.edges.map((e: any) => e.node.id));
      if (!res.data.searchPersons.pageInfo.hasNextPage) break;
      after = res.data.searchPersons.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen).toHaveLength(8);
    const first = await call(SEARCH, { filter: { name: 'anna' }, first: 1 });
    const foreign = await call(SEARCH, { filter: { name: 'ostlund' }, first: 1, after: first.data.searchPersons.pageInfo.endCursor });
    expect(foreign.errors![0]!.extensions!.reason).toBe('FOREIGN_CURSOR');
  });

  it.each([
    [{ name: '' }, 'NAME_TOO_SHORT'],
    [{ name: 'Ö' }, 'NAME_TOO_SHORT'],
    [{ name: ' - ' }, 'NAME_TOO_SHORT'],
    [{}, 'NO_CRITERION'],
    [{ identifierPrefix: '1985' }, 'PREFIX_TOO_SHORT'],
    [{ identifierPrefix: '19850230' }, 'IMPOSSIBLE_DATE'],
    [{ identifierPrefix: wrongCheckDigit(pnr('1985-03-14', 123)) }, 'CHECK_DIGIT'],
    [{ birthDateFrom: '1990-01-01', birthDateTo: '1980-01-01' }, 'EMPTY_RANGE'],
    [{ municipalityCode: 'Kungsbacka' }, 'INVALID_MUNICIPALITY_CODE'],
  ])('refuses %j with BAD_USER_INPUT %s', async (filter, reason) => {
    const res = await call(SEARCH, { filter, first: 10 });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
  });

  it('refuses a page larger than 500', async () => {
    const res = await call(SEARCH, { filter: { name: 'anna' }, first: 501 });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE' });
    expect(res.errors![0]!.message).toContain('500');
  });
});

const UPDATE = `mutation($input: ContactDetailsInput!) { updateContactDetails(input: $input) { phone email preferredLanguage version } }`;
const READ = `query($id: String!) { person(identifier: $id) { contactDetails { phone email version } } }`;

describe('contact details', () => {
  it('creates, updates with the version read, and refuses a stale version with CONFLICT writing nothing', async () => {
    const id = replaced.person.id;
    const created = await call(
      UPDATE,
      { input: { personId: id, version: 0, phone: '+46 70 174 06 05', email: 'karin@example.se', preferredLanguage: 'sv' } },
      writer,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.updateContactDetails).toMatchObject({ version: 1, phone: '+46 70 174 06 05' });
    const updated = await call(UPDATE, { input: { personId: id, version: 1, email: null } }, writer);
    expect(updated.data.updateContactDetails).toEqual({ phone: '+46 70 174 06 05', email: null, preferredLanguage: 'sv', version: 2 });

    const eventsBefore = (await readChangeEvents(subgraph.db, null, 1000)).length;
    const stale = await call(UPDATE, { input: { personId: id, version: 1, phone: '+46 70 174 06 99' } }, writer);
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions!.currentVersion).toBe(2);
    const read = await call(READ, { id: replaced.current });
    expect(read.data.person.contactDetails).toEqual({ phone: '+46 70 174 06 05', email: null, version: 2 });
    expect(await readChangeEvents(subgraph.db, null, 1000)).toHaveLength(eventsBefore);

    const events = (await readChangeEvents(subgraph.db, null, 1000)).filter((e) => e.type === 'CONTACT_DETAILS_CHANGE' && e.personId === id);
    expect(events.map((e) => e.details)).toEqual([
      { version: 1, changedFields: ['phone', 'email', 'preferredLanguage'] },
      { version: 2, changedFields: ['email'] },
    ]);
    expect(events[0]!.identifier).toBe(replaced.current);
  });

  it('two concurrent updates with the same version: exactly one wins', async () => {
    const id = ostlund.id;
    await call(UPDATE, { input: { personId: id, version: 0, phone: '0701740600' } }, writer);
    const results = await Promise.all(['0701740611', '0701740622'].map((phone) => call(UPDATE, { input: { personId: id, version: 1, phone } }, writer)));
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.flatMap(codes)).toEqual(['CONFLICT']);
    const [row] = await subgraph.db.select().from(contactDetails).where(eq(contactDetails.personId, id));
    expect(row).toMatchObject({ version: 2, phone: winners[0]!.data.updateContactDetails.phone });
  });

  it('needs person:write, refuses protected persons, bad values and unknown persons, writing nothing', async () => {
    const input = { personId: protectedSe.id, version: 0, phone: '0701740605' };
    expect(codes(await call(UPDATE, { input }, reader))).toEqual(['FORBIDDEN']);
    expect(codes(await call(UPDATE, { input }, writer))).toEqual(['PROTECTED_IDENTITY']);
    expect(codes(await call(UPDATE, { input: { ...input, personId: ostlund.id, version: 2, email: 'not-an-address' } }, writer))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await call(UPDATE, { input: { ...input, personId: '00000000-0000-4000-8000-000000000000' } }, writer))).toEqual(['NOT_FOUND']);
    const malformed = await call(UPDATE, { input: { ...input, personId: 'not-an-id' } }, writer);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_ID' });
    expect(await subgraph.db.select().from(contactDetails).where(eq(contactDetails.personId, protectedSe.id))).toEqual([]);
    // An entitled caller may write them.
    expect((await call(UPDATE, { input }, authority)).errors).toBeUndefined();
  });
});
