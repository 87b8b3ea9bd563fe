import { beforeAll, describe, expect, it } from 'vitest';
import { localReserveIdVgr, personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, useTestStack } from '../support/stack.js';

let anna: FixturePerson;
let writerToken: string;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1985-03-14', serial: 124 }),
      givenNames: 'Anna',
      familyName: 'Östlund',
      birthDate: '1985-03-14',
      municipalityCode: '1480',
    });
    await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1990-01-01', serial: 222 }),
      givenNames: 'Per',
      familyName: 'Berg',
      birthDate: '1990-01-01',
    });
  },
});

beforeAll(async () => {
  writerToken = await env.stack.token('folkreg:read person:write reserve-id:write', { sub: 'clerk' });
});

describe('identity through the gateway', () => {
  it('batch lookup answers item by item', async () => {
    const short = `${anna.identifier.slice(2, 8)}-${anna.identifier.slice(8)}`;
    const res = await env.stack.query(
      `query($ids: [String!]!) { persons(identifiers: $ids) { input status reason person { id name { familyName } registeringAuthority } } }`,
      {
        ids: [short, '19850314-1230', '850314'],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.persons).toEqual([
      { input: short, status: 'FOUND', reason: null, person: { id: anna.id, name: { familyName: 'Östlund' }, registeringAuthority: 'Skatteverket' } },
      { input: '19850314-1230', status: 'INVALID', reason: 'CHECK_DIGIT', person: null },
      { input: '850314', status: 'INVALID', reason: 'LENGTH', person: null },
    ]);
    const tooMany = await env.stack.query(`query($ids: [String!]!) { persons(identifiers: $ids) { status } }`, {
      ids: Array.from({ length: 501 }, () => short),
    });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BATCH_TOO_LARGE' });
  });

  it('searches by name without diacritics, by pnr prefix and by municipality', async () => {
    const SEARCH = `query($f: PersonSearchFilter!) { searchPersons(filter: $f, first: 10) { edges { node { id name { familyName } } } pageInfo { hasNextPage } } }`;
    const byName = await env.stack.query(SEARCH, { f: { name: 'ostlund' } });
    expect(byName.data.searchPersons).toEqual({ edges: [{ node: { id: anna.id, name: { familyName: 'Östlund' } } }], pageInfo: { hasNextPage: false } });
    expect((await env.stack.query(SEARCH, { f: { identifierPrefix: '850314' } })).data.searchPersons.edges).toHaveLength(1);
    expect((await env.stack.query(SEARCH, { f: { municipalityCode: '1480' } })).data.searchPersons.edges).toHaveLength(1);
    const short = await env.stack.query(SEARCH, { f: { name: 'Ö' } });
    expect(short.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NAME_TOO_SHORT' });
  });

  it('updates contact details with the version read; a stale version is a CONFLICT', async () => {
    const UPDATE = `mutation($i: ContactDetailsInput!) { updateContactDetails(input: $i) { email version } }`;
    const first = await env.stack.queryAs(writerToken, UPDATE, { i: { personId: anna.id, version: 0, email: 'anna@example.se' } });
    expect(first.data.updateContactDetails).toEqual({ email: 'anna@example.se', version: 1 });
    const stale = await env.stack.queryAs(writerToken, UPDATE, { i: { personId: anna.id, version: 0, email: 'x@example.se' } });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(codes(await env.stack.query(UPDATE, { i: { personId: anna.id, version: 1, email: 'y@example.se' } }))).toEqual(['FORBIDDEN']);
    const read = await env.stack.query(`query($id: String!) { person(identifier: $id) { contactDetails { email version } } }`, { id: anna.identifier });
    expect(read.data.person.contactDetails).toEqual({ email: 'anna@example.se', version: 1 });
  });

  it('reserve identities: issue, register, link up to a person; lookups resolve to the person both ways', async () => {
    const issued = await env.stack.queryAs(
      writerToken,
      `mutation { issueNationalReserveId(input: { birthDate: "1985-03-14", sex: FEMALE, familyName: "Okänd" }) { id value } }`,
      {},
    );
    expect(issued.errors).toBeUndefined();
    const nrid = issued.data.issueNationalReserveId;
    const vgr = localReserveIdVgr('1985-03-14', 'FEMALE', 2);
    const local = await env.stack.queryAs(writerToken, `mutation($v: String!) { registerLocalReserveId(identifier: $v) { id region } }`, { v: vgr });
    expect(local.data.registerLocalReserveId.region).toBe('VGR');
    const LINK = `mutation($id: ID!, $to: String!) { linkReserveIdentity(id: $id, to: $to) { id mainIdentifier { kind } person { id } } }`;
    expect((await env.stack.queryAs(writerToken, LINK, { id: local.data.registerLocalReserveId.id, to: nrid.value })).errors).toBeUndefined();
    const linked = await env.stack.queryAs(writerToken, LINK, { id: nrid.id, to: anna.identifier });
    expect(linked.data.linkReserveIdentity).toEqual({ id: nrid.id, mainIdentifier: { kind: 'PERSONAL_IDENTITY_NUMBER' }, person: { id: anna.id } });

    const lookup = await env.stack.query(`query($v: String!) { reserveIdentity(identifier: $v) { value person { name { familyName } } } }`, { v: vgr });
    expect(lookup.data.reserveIdentity).toEqual({ value: nrid.value, person: { name: { familyName: 'Östlund' } } });
    const itself = await env.stack.query(`query($v: String!) { reserveIdentity(identifier: $v, followLinks: false) { value person { id } } }`, { v: vgr });
    expect(itself.data.reserveIdentity).toEqual({ value: vgr, person: { id: anna.id } });

    const person = await env.stack.query(`query($id: String!) { person(identifier: $id) { reserveIdentities { value } } }`, { id: anna.identifier });
    expect(person.data.person.reserveIdentities.map((r: any) => r.value).sort()).toEqual([nrid.value, vgr].sort());

    const cycle = await env.stack.queryAs(writerToken, LINK, { id: nrid.id, to: nrid.value });
    expect(cycle.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LINK_TO_SELF' });
  });
});
