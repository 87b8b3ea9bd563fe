import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { addresses, auditEvents, contactDetails, municipalities, personCitizenships, protectionMarkers } from '../../db/schema/index.js';
import { DEFAULT_POLICY, PROTECTION_KINDS, PUBLIC_AUTHORITY_ROLE, Policy, UNRESTRICTED_SCOPE, type ProtectionKind } from '../../gateway/policy.js';
import { cprNumber, nationalReserveIdFor, personalIdentityNumber } from '../../kernel/identifiers.js';
import type { ProtectionCategory } from '../../kernel/protection.js';
import { hiddenBy, identityOf, PROBE_CALLERS, type ProbeCaller } from '../support/callers.js';
import { insertPerson, linkReserveIdentity, relate, type FixturePerson } from '../support/fixtures.js';
import { graphql, useTestStack, type GraphQLResponse } from '../support/stack.js';

/**
 * The leak suite: every query shape × every protection kind × callers with and without each
 * entitlement. For each protected person the test knows, from what it wrote to the database, the
 * values of every category; whatever the policy hides from a caller must not appear anywhere in the
 * serialized response, and what an entitled caller may see must appear — with an audit record.
 */

let ulla: FixturePerson;
const policy = new Policy();

interface ProtectedFixture {
  kind: ProtectionKind;
  person: FixturePerson;
  /** Distinctive values per category, as stored. */
  values: Partial<Record<ProtectionCategory, string[]>>;
  reserveValue: string;
  birthDate: string;
  municipalityCode: string;
}
const fixtures: ProtectedFixture[] = [];
/** The fixture a shape is being run for (shapes that need more than the identifier read it). */
let currentFixture: ProtectedFixture | undefined;

const ADDRESS_FIELDS =
  'kind countryCode municipalityCode municipalityName countyCode streetName houseNumber postalCode postalDistrict careOf deliveryLines standardAddressLine validFrom';
const NAME_FIELDS = 'givenNames middleName familyName addressingName';
const RESERVE_FIELDS = 'kind value givenNames familyName birthDate';
const PERSON_FIELDS = `id country identifier { kind value display } identifiers { value } name { ${NAME_FIELDS} } birthDate sex status civilStatus citizenships
  citizenshipHistory { country validFrom validTo current }
  protectionMarkers { kind validFrom }
  address { ${ADDRESS_FIELDS} } addresses(includeHistoric: true) { ${ADDRESS_FIELDS} }
  familyRelations(includeHistoric: true) { totalCount edges { node { kind relativeName relativeBirthDate relative { id name { givenNames } } } } }
  reserveIdentities { ${RESERVE_FIELDS} }
  contactDetails { phone email preferredLanguage version }`;

/** Query shapes: each takes the protected person's identifier and returns a document and variables. */
const SHAPES: Record<string, (identifier: string) => { query: string; variables?: Record<string, unknown> }> = {
  'direct lookup': (i) => ({ query: `query Direct($i: String!) { person(identifier: $i) { ${PERSON_FIELDS} } }`, variables: { i } }),
  aliases: (i) => ({
    query: `query Aliases($i: String!) { who: person(identifier: $i) { n: name { g: givenNames f: familyName a: addressingName } where: address { s: streetName p: postalDistrict z: postalCode m: municipalityCode d: deliveryLines }
      b: birthDate r: reserveIdentities { v: value g: givenNames } } }`,
    variables: { i },
  }),
  'named fragments': (i) => ({
    query: `query Fragments($i: String!) { person(identifier: $i) { ...Who ...Where } }
      fragment Who on Person { name { ...Names } birthDate }
      fragment Names on PersonName { ${NAME_FIELDS} }
      fragment Where on Person { address { ${ADDRESS_FIELDS} } reserveIdentities { ${RESERVE_FIELDS} } }`,
    variables: { i },
  }),
  'inline fragments and __typename': (i) => ({
    query: `query Inline($i: String!) { person(identifier: $i) { __typename ... on Person { __typename name { __typename ... on PersonName { familyName givenNames } } }
      ... on Person { address { __typename ... on Address { streetName postalDistrict } } } } }`,
    variables: { i },
  }),
  'include and skip': (i) => ({
    query: `query Conditional($i: String!, $yes: Boolean = true, $no: Boolean!) { person(identifier: $i) {
      name @include(if: $yes) { familyName } address @skip(if: $no) { streetName postalDistrict } addresses @include(if: true) { streetName } } }`,
    variables: { i, no: false },
  }),
  'as a relative in another person’s family page': () => ({
    query: `query Family($u: String!) { person(identifier: $u) { familyRelations(first: 20) { edges { node { kind relative { ${PERSON_FIELDS} } } } } } }`,
    variables: { u: ulla.identifier },
  }),
  'the reverse: the family page of the protected person': (i) => ({
    query: `query Reverse($i: String!) { person(identifier: $i) { familyRelations(first: 20, includeHistoric: true) { edges { node { relativeName relativeBirthDate relative { name { givenNames } } } } } } }`,
    variables: { i },
  }),
  'batch lookup': (i) => ({
    query: `query Batch($ids: [String!]!) { persons(identifiers: $ids) { input status person { ${PERSON_FIELDS} } } }`,
    variables: { ids: [i, ulla.identifier] },
  }),
  'search by personnummer / CPR prefix': (i) => ({
    query: `query Prefix($p: String!, $c: Country) { searchPersons(filter: { identifierPrefix: $p, country: $c }, first: 100) { edges { node { ${PERSON_FIELDS} } } } }`,
    variables: i.length === 12 ? { p: i.slice(0, 8), c: 'SE' } : { p: i.slice(0, 6), c: 'DK' },
  }),
  'search by name': () => ({
    query: `query Name($n: String!) { searchPersons(filter: { name: $n }, first: 100) { edges { node { ${PERSON_FIELDS} } } } }`,
    variables: { n: `${currentFixture!.person.givenNames} ${currentFixture!.person.familyName}` },
  }),
  'search by municipality': () => ({
    query: `query Municipality($m: String!, $c: Country) { searchPersons(filter: { municipalityCode: $m, country: $c }, first: 100) { edges { node { id name { familyName } } } } }`,
    variables: { m: currentFixture!.municipalityCode, c: currentFixture!.kind.startsWith('SE_') ? 'SE' : 'DK' },
  }),
  'reserve identity looked up by its own number': (_i) => ({
    query: `query Reserve($r: String!) { reserveIdentity(identifier: $r, followLinks: false) { ${RESERVE_FIELDS} person { name { ${NAME_FIELDS} } address { ${ADDRESS_FIELDS} } } } }`,
    variables: { r: currentFixture!.reserveValue },
  }),
  'change events about the person': () => ({
    query: `query Events { changeEvents(first: 500) { edges { node { type municipalityBefore municipalityAfter person { name { ${NAME_FIELDS} } address { ${ADDRESS_FIELDS} } } } } } }`,
  }),
};

/** The categories of a person with `kind` that the policy hides from / releases on entitlement to this caller. */
function expectation(caller: ProbeCaller, kind: ProtectionKind) {
  const entitled = new Set(policy.entitledFor(identityOf(caller))[kind] ?? []);
  const isHidden = hiddenBy(policy, caller, kind);
  const isEntitled = (c: string) => !isHidden(c) && (entitled.has(c) || entitled.has('*'));
  return { isHidden, isEntitled };
}

const env = useTestStack({
  seed: async (db) => {
    ulla = await insertPerson(db, {
      identifier: '196408233234',
      givenNames: 'Ulla',
      familyName: 'Oskyddad',
      birthDate: '1964-08-23',
      municipalityCode: '0180',
    });
    for (const [i, kind] of PROTECTION_KINDS.entries()) {
      const swedish = kind.startsWith('SE_');
      const birthDate = `1971-0${i + 1}-1${i}`;
      const identifier = swedish ? personalIdentityNumber({ birthDate, serial: 300 + i }) : cprNumber({ birthDate, serial: 200 + i, sex: 'FEMALE' });
      const tag = kind.replace(/_/g, '').toLowerCase();
      const person = await insertPerson(db, {
        identifier,
        country: swedish ? 'SE' : 'DK',
        givenNames: `Hemlig${tag}`,
        familyName: `Skyddsson${tag}`,
        birthDate,
        municipalityCode: null,
      });
      // A real municipality of its own (searches and filters refuse unknown codes), renamed in this file's
      // database so that its name is a value only this person's address can reveal.
      const municipalityCode = (
        swedish ? ['0114', '0123', '0126', '0127', '0136', '0160', '0162', '0183'] : ['151', '157', '159', '167', '173', '175', '185', '217']
      )[i]!;
      await db
        .insert(municipalities)
        .values({ code: municipalityCode, country: swedish ? 'SE' : 'DK', name: `Dolda kommun ${tag}` })
        .onConflictDoUpdate({ target: [municipalities.country, municipalities.code], set: { name: `Dolda kommun ${tag}` } });
      const street = `Gömdgatan${tag}`;
      await db.insert(addresses).values({
        personId: person.id,
        kind: 'REGISTERED',
        countryCode: swedish ? 'SE' : 'DK',
        municipalityCode,
        streetName: street,
        houseNumber: `7${i}`,
        postalCode: `99${i}77`,
        postalDistrict: `Dolda${tag}`,
        deliveryLines: [`${street} 7${i}`],
        standardAddressLine: `${street} 7${i}`,
        validFrom: '2019-02-01',
      });
      await db.insert(protectionMarkers).values({ personId: person.id, kind, validFrom: '2020-01-01' });
      // An earlier citizenship whose days no other field of the person has: only citizenshipHistory can reveal them.
      const citizenshipDays = [`1994-0${i + 1}-2${i}`, `1997-0${i + 1}-2${i}`];
      await db.insert(personCitizenships).values({ personId: person.id, country: 'YU', validFrom: citizenshipDays[0], validTo: citizenshipDays[1] });
      await relate(db, ulla.id, 'CHILD', person);
      await relate(db, person.id, 'MOTHER', ulla);
      await relate(db, person.id, 'FATHER', { name: `Farfar${tag}`, birthDate: '1920-02-02' });
      const reserveValue = nationalReserveIdFor({ birthDate, sex: 'FEMALE', serialLetters: 'PR', serialIndex: i % 5 });
      await db.insert(contactDetails).values({ personId: person.id, phone: `+46 70 ${tag.length}00 ${1000 + i}`, email: `hemlig.${tag}@example.invalid` });
      await linkReserveIdentity(db, person.id, reserveValue, identifier);
      await db.transaction((tx) =>
        appendChangeEvents(tx, [
          { type: 'MOVE', personId: person.id, identifier, municipalityBefore: municipalityCode, municipalityAfter: municipalityCode, occurredAt: new Date() },
        ]),
      );
      fixtures.push({
        kind,
        person,
        values: {
          NAME: [person.givenNames, person.familyName],
          ADDRESS: [street, `Dolda${tag}`, `Dolda kommun ${tag}`, `99${i}77`],
          FAMILY: [`Farfar${tag}`],
          RESERVE_IDENTITY: [reserveValue],
          CONTACT: [`+46 70 ${tag.length}00 ${1000 + i}`, `hemlig.${tag}@example.invalid`],
          CITIZENSHIP: citizenshipDays,
        },
        reserveValue,
        birthDate,
        municipalityCode,
      });
    }
  },
});

beforeAll(async () => {}, 60_000);

async function ask(caller: ProbeCaller, shape: { query: string; variables?: Record<string, unknown> }): Promise<GraphQLResponse> {
  const token = await env.stack.issue({
    scope: `folkreg:read ${caller.scope ?? ''}`.trim(),
    sub: `leak-${caller.role ?? ''}-${caller.scope ?? ''}-${caller.purpose ?? ''}`,
    role: caller.role,
    purpose: caller.purpose,
  });
  return graphql(env.stack.gateway.url, shape.query, shape.variables, { authorization: `Bearer ${token}` });
}

describe.each(Object.entries(PROBE_CALLERS))('caller: %s', (_name, caller) => {
  it.each(Object.keys(SHAPES))('%s: no hidden value of any protected person leaks', async (shapeName) => {
    for (const fixture of fixtures) {
      currentFixture = fixture;
      const response = await ask(caller, SHAPES[shapeName]!(fixture.person.identifier));
      expect(response.status, JSON.stringify(response.errors)).toBe(200);
      const serialized = JSON.stringify(response);
      const { isHidden } = expectation(caller, fixture.kind);
      for (const [category, values] of Object.entries(fixture.values)) {
        if (!isHidden(category)) continue;
        for (const value of values) {
          expect(serialized.includes(value), `${fixture.kind}: ${category} value "${value}" leaked in ${shapeName}`).toBe(false);
        }
      }
      // Search cannot reveal: a person whose searched attribute is hidden is not a hit at all.
      const searched: Record<string, string[]> = {
        'search by personnummer / CPR prefix': ['IDENTITY', 'BIRTH_DATE'],
        'search by name': ['NAME'],
        'search by municipality': ['ADDRESS'],
      };
      if (searched[shapeName]?.some(isHidden)) {
        expect(serialized, `${fixture.kind}: a hidden person matched ${shapeName}`).not.toContain(fixture.person.id);
      } else if (searched[shapeName]) {
        expect(serialized, `${fixture.kind}: ${shapeName} should find the person`).toContain(fixture.person.id);
      }
      // Nothing the guard adds ever reaches the client.
      expect(serialized).not.toContain('_folkreg');
      for (const error of response.errors ?? []) {
        expect(['PROTECTED_IDENTITY'], error.message).toContain(error.extensions?.code);
      }
    }
  });
});

describe('what the caller does see', () => {
  it('a masked field is null with a PROTECTED_IDENTITY error at its path; the rest of the response and the marker stay', async () => {
    const fixture = fixtures.find((f) => f.kind === 'SE_PROTECTED_REGISTRATION')!;
    const res = await ask({}, SHAPES['direct lookup']!(fixture.person.identifier));
    const person = res.data.person;
    expect(person.name.familyName).toBe(fixture.person.familyName); // the reduced profile keeps the name
    expect(person.birthDate).toBe('1971-02-11');
    expect(person.protectionMarkers).toEqual([{ kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' }]);
    expect(person.address).toBeNull();
    expect(person.addresses).toBeNull();
    expect(person.familyRelations).toBeNull();
    expect(person.civilStatus).toBeNull();
    expect(person.citizenshipHistory).toBeNull();
    const masked = (res.errors ?? []).map((e) => [e.path!.join('.'), e.extensions!.code, e.extensions!.category]);
    expect(masked).toEqual(
      expect.arrayContaining([
        ['person.address', 'PROTECTED_IDENTITY', 'ADDRESS'],
        ['person.addresses', 'PROTECTED_IDENTITY', 'ADDRESS'],
        ['person.familyRelations', 'PROTECTED_IDENTITY', 'FAMILY'],
        ['person.civilStatus', 'PROTECTED_IDENTITY', 'CIVIL_STATUS'],
        ['person.citizenshipHistory', 'PROTECTED_IDENTITY', 'CITIZENSHIP'],
      ]),
    );
  });

  it('the default table: Danish name-and-address protection hides name and address from private parties only', async () => {
    const fixture = fixtures.find((f) => f.kind === 'DK_NAME_AND_ADDRESS')!;
    const query = `query($i: String!) { person(identifier: $i) { name { familyName } address { streetName } birthDate } }`;
    const privateParty = await ask({}, { query, variables: { i: fixture.person.identifier } });
    expect(privateParty.data.person).toEqual({ name: null, address: null, birthDate: '1971-03-12' });
    const authority = await ask({ role: PUBLIC_AUTHORITY_ROLE, purpose: 'tax assessment' }, { query, variables: { i: fixture.person.identifier } });
    expect(authority.errors).toBeUndefined();
    expect(authority.data.person.name.familyName).toBe(fixture.person.familyName);
    expect(authority.data.person.address.streetName).toMatch(/^Gömdgatan/);
  });

  it('marketing protection excludes the person from marketing callers only', async () => {
    const fixture = fixtures.find((f) => f.kind === 'DK_MARKETING')!;
    const query = `query($i: String!) { person(identifier: $i) { identifier { value } name { familyName } protectionMarkers { kind } } }`;
    const marketer = await ask({ purpose: 'marketing' }, { query, variables: { i: fixture.person.identifier } });
    expect(marketer.data.person).toEqual({ identifier: null, name: null, protectionMarkers: [{ kind: 'DK_MARKETING' }] });
    const other = await ask({}, { query, variables: { i: fixture.person.identifier } });
    expect(other.errors).toBeUndefined();
    expect(other.data.person.name.familyName).toBe(fixture.person.familyName);
  });

  it('an entitled caller with a stated purpose gets the protected fields, and the release is audited first', async () => {
    const fixture = fixtures.find((f) => f.kind === 'SE_PROTECTED_REGISTRATION')!;
    const token = await env.stack.issue({
      scope: `folkreg:read ${UNRESTRICTED_SCOPE}`,
      sub: 'handlaggare-7',
      client: 'forsakringskassan',
      purpose: 'benefit decision',
    });
    const res = await graphql(
      env.stack.gateway.url,
      `
        query CaseFile($i: String!) {
          person(identifier: $i) {
            address {
              streetName
            }
            civilStatus
            familyRelations {
              totalCount
            }
          }
        }
      `,
      { i: fixture.person.identifier },
      { authorization: `Bearer ${token}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.person.address.streetName).toBe(fixture.values.ADDRESS![0]);
    const rows = await env.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.subject} = 'handlaggare-7'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      client: 'forsakringskassan',
      personId: fixture.person.id,
      operationName: 'CaseFile',
      purpose: 'benefit decision',
    });
    expect(rows[0]!.fields).toEqual(expect.arrayContaining(['Address.streetName', 'Person.address', 'Person.civilStatus', 'Person.familyRelations']));
  });

  it('the purpose may come from the folkreg-purpose header when the token has none', async () => {
    const fixture = fixtures.find((f) => f.kind === 'SE_CONFIDENTIALITY_MARKING')!;
    const token = await env.stack.issue({ scope: `folkreg:read ${UNRESTRICTED_SCOPE}`, sub: 'header-purpose' });
    const query = `query($i: String!) { person(identifier: $i) { address { streetName } } }`;
    const without = await graphql(env.stack.gateway.url, query, { i: fixture.person.identifier }, { authorization: `Bearer ${token}` });
    expect(without.data.person.address).toBeNull();
    const withPurpose = await graphql(
      env.stack.gateway.url,
      query,
      { i: fixture.person.identifier },
      { authorization: `Bearer ${token}`, 'folkreg-purpose': 'fraud investigation' },
    );
    expect(withPurpose.data.person.address.streetName).toBe(fixture.values.ADDRESS![0]);
  });

  it('when the audit record cannot be written, nothing protected is released', async () => {
    const fixture = fixtures.find((f) => f.kind === 'SE_PROTECTED_REGISTRATION')!;
    await env.db.execute(sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit storage unavailable'; END $$`);
    await env.db.execute(sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      const token = await env.stack.issue({ scope: `folkreg:read ${UNRESTRICTED_SCOPE}`, sub: 'audit-down', purpose: 'benefit decision' });
      const res = await graphql(
        env.stack.gateway.url,
        `
          query ($i: String!) {
            person(identifier: $i) {
              name {
                familyName
              }
              address {
                streetName
                postalDistrict
              }
            }
          }
        `,
        { i: fixture.person.identifier },
        { authorization: `Bearer ${token}` },
      );
      expect(res.data.person).toEqual({ name: { familyName: fixture.person.familyName }, address: null });
      expect(JSON.stringify(res)).not.toContain(fixture.values.ADDRESS![0]);
      expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.code, e.extensions?.reason])).toEqual([
        ['person.address', 'PROTECTED_IDENTITY', 'AUDIT_UNAVAILABLE'],
      ]);
    } finally {
      await env.db.execute(sql`DROP TRIGGER refuse_audit ON audit_events`);
      await env.db.execute(sql`DROP FUNCTION refuse_audit()`);
    }
  });

  it('client documents may not use the guard’s reserved aliases', async () => {
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { _folkregGuard: birthDate } }`, { i: ulla.identifier });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data?.person ?? null).toBeNull();
  });

  it('the default policy matches the reference (domain.md §2)', () => {
    const plain = policy.hiddenFor({ subject: 's', client: null, scopes: [], role: null, purpose: null });
    expect(plain.SE_PROTECTED_REGISTRATION).toEqual(['ADDRESS', 'CONTACT', 'FAMILY', 'CIVIL_STATUS', 'CITIZENSHIP']);
    expect(plain.DK_NAME_AND_ADDRESS).toEqual(['NAME', 'ADDRESS', 'CONTACT']);
    expect(plain.DK_MARKETING).toBeUndefined();
    expect(policy.hiddenFor({ subject: 's', client: null, scopes: [], role: null, purpose: 'research' }).DK_RESEARCH).toEqual(['*']);
    expect(DEFAULT_POLICY.SE_CONFIDENTIALITY_MARKING).toEqual(DEFAULT_POLICY.SE_PROTECTED_REGISTRATION);
  });
});

describe('auditEvents', () => {
  const query = `query($p: ID) { auditEvents(personId: $p, first: 10) { edges { node { subject client fields operationName purpose at person { id } } } pageInfo { hasNextPage } } }`;

  it('serves the release records to auditors, newest first', async () => {
    const fixture = fixtures.find((f) => f.kind === 'SE_CONFIDENTIALITY_MARKING')!;
    const reader = await env.stack.issue({ scope: `folkreg:read ${UNRESTRICTED_SCOPE}`, sub: 'auditee', purpose: 'guardianship case' });
    await graphql(
      env.stack.gateway.url,
      `
        query Lookup($i: String!) {
          person(identifier: $i) {
            citizenships
          }
        }
      `,
      { i: fixture.person.identifier },
      { authorization: `Bearer ${reader}` },
    );
    const auditor = await env.stack.issue({ scope: 'audit:read person:read', sub: 'auditor' });
    const res = await graphql(env.stack.gateway.url, query, { p: fixture.person.id }, { authorization: `Bearer ${auditor}` });
    expect(res.errors).toBeUndefined();
    expect(res.data.auditEvents.edges[0].node).toMatchObject({
      subject: 'auditee',
      fields: ['Person.citizenships'],
      operationName: 'Lookup',
      purpose: 'guardianship case',
      person: { id: fixture.person.id },
    });
  });

  it('refuses callers without the auditor scope', async () => {
    const res = await env.stack.query(query, {});
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
