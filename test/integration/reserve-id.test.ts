import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { readChangeEvents } from '../../db/outbox.js';
import { reserveIdentities, reserveIdentityLinks } from '../../db/schema/index.js';
import { reserveIdSubgraph } from '../../subgraphs/reserve-id/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { generateGatewayKeys, type GatewayKeyPair } from '../../kernel/gateway-token.js';
import { type Caller } from '../../kernel/caller.js';
import { localReserveIdSll, localReserveIdVgr, parseSingleIdentifier, personalIdentityNumber } from '../../kernel/identifiers.js';
import { startSubgraph } from '../../subgraphs/shared/server.js';
import { type RunningServer } from '../../kernel/lifecycle.js';
import { callerFor } from '../support/callers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { asGateway, codes, type GraphQLResponse } from '../support/stack.js';

let database: TestDatabase;
let keys: GatewayKeyPair;
/** On Postgres, a second server process' worth of connections: issuers really run in parallel. */
let servers: RunningServer[] = [];
let extraPools: Database[] = [];

const writer: Caller = callerFor({ subject: 'clerk', scopes: ['reserve-id:write'] });
const reader: Caller = callerFor({ subject: 'reader' });

async function call<T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = writer,
  server = servers[0]!,
): Promise<GraphQLResponse<T>> {
  return asGateway<T>(server.url, 'reserve-id', caller, keys.privateKey, query, variables);
}

beforeAll(async () => {
  database = await createTestDatabase();
  keys = await generateGatewayKeys();
  const cursors = new CursorCodec(Buffer.alloc(32, 5));
  const dbs = [database.db];
  // Four subgraph processes' worth of servers, each with its own pool when on Postgres.
  if (database.url) {
    extraPools = await Promise.all([1, 2, 3].map(() => openDatabase({ url: database.url!, maxConnections: 4 })));
    dbs.push(...extraPools.map((p) => p.db));
  }
  servers = await Promise.all(dbs.map((db) => startSubgraph(reserveIdSubgraph, { db, gatewayPublicKey: keys.publicKey, cursors })));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(extraPools.map((p) => p.close()));
  await database?.dispose();
});

const FIELDS = `id kind region value givenNames familyName birthDate sex issuedBy statedAddress { streetAddress city country }
  mainIdentifier { kind value } links(includeHistoric: true) { target { kind value } unlinkedAt }`;
const ISSUE = `mutation($input: ReserveIdentityDataInput!) { issueNationalReserveId(input: $input) { ${FIELDS} } }`;
const REGISTER = `mutation($identifier: String!, $input: ReserveIdentityDataInput) { registerLocalReserveId(identifier: $identifier, input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: ReserveIdentityDataInput!) { updateReserveIdentity(id: $id, input: $input) { ${FIELDS} } }`;
const LINK = `mutation($id: ID!, $to: String!) { linkReserveIdentity(id: $id, to: $to) { ${FIELDS} } }`;
const UNLINK = `mutation($id: ID!) { unlinkReserveIdentity(id: $id) { ${FIELDS} } }`;
const LOOKUP = `query($identifier: String!, $follow: Boolean) { reserveIdentity(identifier: $identifier, followLinks: $follow) { id value kind mainIdentifier { kind value } } }`;

async function rowCounts() {
  return {
    identities: (await database.db.select().from(reserveIdentities)).length,
    links: (await database.db.select().from(reserveIdentityLinks)).length,
    events: (await readChangeEvents(database.db, null, 10_000)).length,
  };
}

describe('national reserve IDs', () => {
  it('issues an ID in the national format carrying birth date and sex, with the personal data, and an ISSUED event', async () => {
    const res = await call(ISSUE, {
      input: {
        givenNames: 'Okänd',
        familyName: 'Kvinna',
        birthDate: '1985-03-14',
        sex: 'FEMALE',
        statedAddress: { streetAddress: 'Storgatan 1', city: 'Göteborg', country: 'se' },
      },
    });
    expect(res.errors).toBeUndefined();
    const issued = res.data.issueNationalReserveId;
    expect(parseSingleIdentifier(issued.value)).toMatchObject({ kind: 'NATIONAL_RESERVE_ID', birthDate: '1985-03-14', sex: 'FEMALE' });
    expect(issued).toMatchObject({
      kind: 'NATIONAL_RESERVE_ID',
      issuedBy: 'folkreg',
      statedAddress: { city: 'Göteborg', country: 'SE' },
      mainIdentifier: null,
    });
    const events = (await readChangeEvents(database.db, null, 10_000)).filter((e) => e.identifier === issued.value);
    expect(events.map((e) => e.details)).toEqual([{ action: 'ISSUED', reserveIdentityId: issued.id, reserveIdentityKind: 'NATIONAL_RESERVE_ID' }]);
  });

  it('issues with an unknown birth date and sex (XX = 00)', async () => {
    const res = await call(ISSUE, { input: { givenNames: 'Okänd' } });
    expect(parseSingleIdentifier(res.data.issueNationalReserveId.value)).toMatchObject({ birthDate: null, sex: null });
    expect(res.data.issueNationalReserveId.value.slice(0, 2)).toBe('00');
  });

  it('8 parallel issuers for the same birth date and sex never produce a duplicate', async () => {
    const input = { birthDate: '1990-06-15', sex: 'MALE' };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call(ISSUE, { input }, writer, servers[i % servers.length])));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const values = results.map((r) => r.data.issueNationalReserveId.value);
    expect(new Set(values).size).toBe(8);
    for (const v of values) expect(parseSingleIdentifier(v)).toMatchObject({ kind: 'NATIONAL_RESERVE_ID', birthDate: '1990-06-15', sex: 'MALE' });
  });

  it('needs reserve-id:write and a plausible birth date', async () => {
    const before = await rowCounts();
    expect(codes(await call(ISSUE, { input: { birthDate: '1985-03-14' } }, reader))).toEqual(['FORBIDDEN']);
    expect(codes(await call(ISSUE, { input: { birthDate: '1985-02-30' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await call(ISSUE, { input: { birthDate: '2999-01-01' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('local reserve IDs', () => {
  const vgr = localReserveIdVgr('1981-08-29', 'MALE', 1);
  const sll = localReserveIdSll(2024, 42);

  it('registers VGR and SLL numbers validated against their format, taking birth date and sex from a VGR number', async () => {
    const v = await call(REGISTER, { identifier: `${vgr.slice(0, 8)}-${vgr.slice(8).toLowerCase()}` });
    expect(v.errors).toBeUndefined();
    expect(v.data.registerLocalReserveId).toMatchObject({ kind: 'LOCAL_RESERVE_ID', region: 'VGR', value: vgr, birthDate: '1981-08-29', sex: 'MALE' });
    const s = await call(REGISTER, { identifier: sll, input: { familyName: 'Okänd' } });
    expect(s.data.registerLocalReserveId).toMatchObject({ region: 'SLL', value: sll, familyName: 'Okänd', birthDate: null });
  });

  it('rejects duplicates, other kinds and malformed numbers, writing nothing', async () => {
    const before = await rowCounts();
    const dup = await call(REGISTER, { identifier: vgr });
    expect(dup.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const pnr = await call(REGISTER, { identifier: '191212121212' });
    expect(pnr.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_A_LOCAL_RESERVE_ID' });
    const bad = await call(REGISTER, { identifier: `${vgr.slice(0, 11)}${(Number(vgr[11]) + 1) % 10}` });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CHECK_DIGIT' });
    expect(await rowCounts()).toEqual(before);
  });
});

describe('personal data, links and lookups', () => {
  it('updates data, links LRID → NRID → PNR, resolves lookups to the main identity, and unlinks keeping history', async () => {
    const nrid = (await call(ISSUE, { input: { birthDate: '1970-01-01', sex: 'MALE' } })).data.issueNationalReserveId;
    const lrid = (await call(REGISTER, { identifier: localReserveIdVgr('1970-01-01', 'MALE', 3) })).data.registerLocalReserveId;
    const updated = await call(UPDATE, { id: lrid.id, input: { givenNames: 'Johan', statedAddress: { city: 'Borås' } } });
    expect(updated.data.updateReserveIdentity).toMatchObject({
      givenNames: 'Johan',
      familyName: null,
      birthDate: '1970-01-01',
      statedAddress: { city: 'Borås' },
    });

    const pnr = personalIdentityNumber({ birthDate: '1970-01-01', serial: 123 });
    expect((await call(LINK, { id: lrid.id, to: nrid.value })).errors).toBeUndefined();
    const linked = await call(LINK, { id: nrid.id, to: `${pnr.slice(0, 8)}-${pnr.slice(8)}` });
    expect(linked.data.linkReserveIdentity.mainIdentifier).toEqual({ kind: 'PERSONAL_IDENTITY_NUMBER', value: pnr });

    const followed = await call(LOOKUP, { identifier: lrid.value });
    expect(followed.data.reserveIdentity).toMatchObject({ id: nrid.id, mainIdentifier: { value: pnr } });
    const itself = await call(LOOKUP, { identifier: lrid.value, follow: false });
    expect(itself.data.reserveIdentity).toMatchObject({ id: lrid.id, value: lrid.value });
    expect(itself.data.reserveIdentity.mainIdentifier).toEqual({ kind: 'PERSONAL_IDENTITY_NUMBER', value: pnr });

    const unlinked = await call(UNLINK, { id: nrid.id });
    expect(unlinked.data.unlinkReserveIdentity.mainIdentifier).toBeNull();
    expect(unlinked.data.unlinkReserveIdentity.links).toEqual([{ target: { kind: 'PERSONAL_IDENTITY_NUMBER', value: pnr }, unlinkedAt: expect.any(String) }]);
    expect((await call(LOOKUP, { identifier: lrid.value })).data.reserveIdentity).toMatchObject({ id: nrid.id, mainIdentifier: null });
    expect((await call(LOOKUP, { identifier: lrid.value, follow: false })).data.reserveIdentity.mainIdentifier).toEqual({
      kind: 'NATIONAL_RESERVE_ID',
      value: nrid.value,
    });

    const actions = (await readChangeEvents(database.db, null, 10_000))
      .filter((e) => e.type === 'RESERVE_IDENTITY_CHANGE' && [nrid.id, lrid.id].includes((e.details as any).reserveIdentityId))
      .map((e) => [(e.details as any).reserveIdentityKind, (e.details as any).action, (e.details as any).targetKind ?? null]);
    expect(actions).toEqual([
      ['NATIONAL_RESERVE_ID', 'ISSUED', null],
      ['LOCAL_RESERVE_ID', 'REGISTERED', null],
      ['LOCAL_RESERVE_ID', 'UPDATED', null],
      ['LOCAL_RESERVE_ID', 'LINKED', 'NATIONAL_RESERVE_ID'],
      ['NATIONAL_RESERVE_ID', 'LINKED', 'PERSONAL_IDENTITY_NUMBER'],
      ['NATIONAL_RESERVE_ID', 'UNLINKED', 'PERSONAL_IDENTITY_NUMBER'],
    ]);
  });

  it('refuses linking downwards, to itself, into a cycle, and unlinking what is not linked — writing nothing', async () => {
    const a = (await call(ISSUE, { input: { birthDate: '1960-01-01', sex: 'FEMALE' } })).data.issueNationalReserveId;
    const b = (await call(ISSUE, { input: { birthDate: '1960-01-01', sex: 'FEMALE' } })).data.issueNationalReserveId;
    const local = (await call(REGISTER, { identifier: localReserveIdSll(2020, 7) })).data.registerLocalReserveId;
    expect((await call(LINK, { id: a.id, to: b.value })).errors).toBeUndefined(); // same level: allowed
    const before = await rowCounts();
    const reasons = async (res: Promise<GraphQLResponse>) => (await res).errors!.map((e) => [e.extensions!.code, e.extensions!.reason]);
    expect(await reasons(call(LINK, { id: a.id, to: local.value }))).toEqual([['BAD_USER_INPUT', 'LINK_DOWNWARDS']]);
    expect(await reasons(call(LINK, { id: a.id, to: a.value }))).toEqual([['BAD_USER_INPUT', 'LINK_TO_SELF']]);
    expect(await reasons(call(LINK, { id: b.id, to: a.value }))).toEqual([['BAD_USER_INPUT', 'LINK_CYCLE']]);
    expect(await reasons(call(LINK, { id: local.id, to: localReserveIdSll(2020, 7) }))).toEqual([['BAD_USER_INPUT', 'LINK_TO_SELF']]);
    expect(await reasons(call(UNLINK, { id: b.id }))).toEqual([['BAD_USER_INPUT', 'NOT_LINKED']]);
    expect(await reasons(call(LINK, { id: a.id, to: '19121212-1213' }))).toEqual([['BAD_USER_INPUT', 'CHECK_DIGIT']]);
    expect(codes(await call(LINK, { id: a.id, to: b.value }, reader))).toEqual(['FORBIDDEN']);
    expect(codes(await call(LINK, { id: '00000000-0000-4000-8000-000000000000', to: b.value }))).toEqual(['NOT_FOUND']);
    expect(await reasons(call(LINK, { id: 'not-an-id', to: b.value }))).toEqual([['BAD_USER_INPUT', 'INVALID_ID']]);
    expect(await rowCounts()).toEqual(before);
  });
});
