import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedDocuments, sha256 } from '../../gateway/trusted-documents.js';
import { insertPerson, linkReserveIdentity, recordMove, relate, type FixturePerson } from '../support/fixtures.js';
import { ALL_SCOPES, ROOT_FIELDS } from '../support/root-fields.js';
import { startTestStack, useTestStack, type TestStack } from '../support/stack.js';
import { connect, type Ending } from '../support/subscriptions.js';

const ADDRESS_LOOKUP = 'query Address($i: String!) { person(identifier: $i) { address { streetName } } }';
const LIVE_MOVES = 'subscription Moves { changeEvents(filter: { types: [MOVE] }) { type person { name { familyName } } } }';
const manifest = new Map([ADDRESS_LOOKUP, LIVE_MOVES].map((d) => [sha256(d), d]));

let anna: FixturePerson;

/** As production runs: introspection off, trusted documents enforced for `partner-app`. */
const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    const erik = await insertPerson(db, { identifier: '194001079120', givenNames: 'Erik', familyName: 'Östlund' });
    await relate(db, anna.id, 'SPOUSE', erik);
    await linkReserveIdentity(db, anna.id, '22121212AB06', anna.identifier);
    await recordMove(db, anna.id, anna.identifier, '0180', '0181');
  },
  stack: { introspection: false, trustedDocuments: new TrustedDocuments({ documents: manifest, enforcedFor: new Set(['partner-app']) }) },
});
/** As development runs (introspection on): the control for the suggestion tests. */
let dev: TestStack;

beforeAll(async () => {
  dev = await startTestStack(env.db);
});

afterAll(async () => {
  await dev?.close();
});

interface Response {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

const bearer = async (scope: string, client = 'folkreg-test', on = env.stack) => `Bearer ${await on.issue({ scope, sub: `caller ${scope}`, client })}`;

async function post(scope: string, body: Record<string, unknown>, client?: string, on = env.stack): Promise<Response> {
  const res = await fetch(on.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: await bearer(scope, client, on) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Response['body'] };
}

async function get(scope: string, params: Record<string, unknown>, client?: string): Promise<Response> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(`${env.stack.gateway.url}?${search}`, {
    headers: { accept: 'application/graphql-response+json', authorization: await bearer(scope, client) },
  });
  return { status: res.status, body: (await res.json()) as Response['body'] };
}

/** Refused before planning: 403, `FORBIDDEN` / `MISSING_SCOPE` naming `field` → `scopes`, and no data at all. */
function expectRefused(res: Response, field: string, scopes: string[][]) {
  expect(res.status).toBe(403);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
  expect(res.body.errors![0]!.extensions!.requiredScopes[field]).toEqual(scopes);
  for (const alternative of scopes) for (const scope of alternative) expect(res.body.errors![0]!.message).toContain(`'${scope}'`);
}

const refusals = (res: Response) => (res.body.errors ?? []).filter((e) => e.extensions?.reason === 'MISSING_SCOPE');

/** Starts a subscription on `client` and says how it went: started (a subscriber more), or how it ended. */
async function subscribe(
  client: Client,
  payload: Record<string, unknown>,
  on = env.stack,
): Promise<{ started: true; stop: () => void } | { started: false; ending: Ending }> {
  const before = on.gateway.subscriptions.stats().subscribers;
  let end!: (e: Ending) => void;
  const ended = new Promise<Ending>((ok) => (end = ok));
  const stop = client.subscribe(payload as { query: string }, {
    next: () => {},
    error: (err: unknown) =>
      end(
        Array.isArray(err)
          ? { kind: 'errors', errors: err }
          : { kind: 'closed', code: (err as { code?: number }).code ?? 0, reason: String((err as { reason?: string }).reason ?? '') },
      ),
    complete: () => end({ kind: 'complete' }),
  });
  const started = on.gateway.subscriptions.until((s) => s.subscribers > before).then(() => 'started' as const);
  const outcome = await Promise.race([started, ended]);
  return outcome === 'started' ? { started: true, stop } : { started: false, ending: outcome };
}

/** A query or mutation over the websocket: its one result, or its errors. */
function once(client: Client, query: string): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }> {
  return new Promise((ok) => {
    let result: { data?: any; errors?: any[] } = {};
    client.subscribe(
      { query },
      { next: (r) => void (result = r as typeof result), error: (errors) => ok({ errors: errors as any[] }), complete: () => ok(result) },
    );
  });
}

const sockets: Client[] = [];
const socket = async (scope: string, client?: string, on = env.stack) => {
  const c = connect(on.gateway.url, { authorization: await bearer(scope, client, on) });
  sockets.push(c);
  return c;
};
afterAll(async () => {
  await Promise.all(sockets.map((c) => c.dispose()));
});

describe('every root field needs the scopes it declares (table from test/support/root-fields.ts)', () => {
  const http = Object.entries(ROOT_FIELDS).filter(([coordinate]) => !coordinate.startsWith('Subscription.'));

  describe.each(http)('%s', (coordinate, field) => {
    it('without them, with every other scope: FORBIDDEN naming them, no data', async () => {
      const others = ALL_SCOPES.filter((s) => !field.scopes.flat().includes(s)).join(' ');
      expectRefused(await post(others, { query: field.operation }), coordinate, field.scopes);
    });

    it.each(field.scopes.map((alternative) => [[...alternative, ...(field.alsoReads ?? [])].join(' ')]))('with %s alone: the field runs', async (scope) => {
      const res = await post(scope, { query: field.operation });
      expect(refusals(res)).toEqual([]);
      expect(res.status).toBe(200);
      expect(res.body).toHaveProperty('data');
      // It ran: an error, if any, is its resolver's (a row nobody has, a value it refuses), at its path.
      const root = coordinate.split('.')[1];
      for (const error of res.body.errors ?? []) expect((error as { path?: unknown[] }).path?.[0]).toBe(root);
    });
  });

  it('a reserve-id write returns a ReserveIdentity: reading it back needs reserve-id:read too', async () => {
    const res = await post('reserve-id:write', { query: ROOT_FIELDS['Mutation.unlinkReserveIdentity']!.operation });
    expectRefused(res, 'Mutation.unlinkReserveIdentity', [['reserve-id:read']]);
  });

  it('Subscription.changeEvents over websocket: refused without events:read, subscribed with it alone', async () => {
    const { operation, scopes } = ROOT_FIELDS['Subscription.changeEvents']!;
    const without = await subscribe(await socket(ALL_SCOPES.filter((s) => s !== 'events:read').join(' ')), { query: operation });
    expect(without.started).toBe(false);
    expect(!without.started && without.ending).toMatchObject({
      kind: 'errors',
      errors: [{ extensions: { code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: { 'Subscription.changeEvents': scopes } } }],
    });
    const withScope = await subscribe(await socket('events:read'), { query: operation });
    expect(withScope.started).toBe(true);
    if (withScope.started) withScope.stop();
  });
});

describe('a token without scopes', () => {
  it('reads nothing: no lookup, no search, no events', async () => {
    expectRefused(await post('', { query: '{ person(identifier: "191212121212") { name { familyName } } }' }), 'Query.person', [['person:read']]);
    expectRefused(await post('', { query: '{ searchPersons(filter: { name: "Östlund" }) { edges { node { id } } } }' }), 'Query.searchPersons', [
      ['person:read'],
    ]);
    expectRefused(await post('', { query: '{ changeEvents(first: 5) { edges { node { type } } } }' }), 'Query.changeEvents', [['events:read']]);
  });

  it('may ask for __typename of the root, which is no register data', async () => {
    const res = await post('', { query: '{ __typename }' });
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('a scope cannot be smuggled', () => {
  it('through a named fragment on the root', async () => {
    const res = await post('person:read', { query: 'query { ...Root } fragment Root on Query { changeEvents(first: 1) { __typename } }' });
    expectRefused(res, 'Query.changeEvents', [['events:read']]);
  });

  it('through an inline fragment, and an alias', async () => {
    expectRefused(await post('events:read', { query: '{ ... on Query { who: person(identifier: "191212121212") { __typename } } }' }), 'Query.person', [
      ['person:read'],
    ]);
  });

  it('through a `__typename`-only selection', async () => {
    expectRefused(await post('events:read', { query: '{ person(identifier: "191212121212") { __typename } }' }), 'Query.person', [['person:read']]);
  });

  it("into another domain's data: person:read alone does not read addresses, family or reserve identities", async () => {
    const lookup = (selection: string) => ({ query: `{ person(identifier: "191212121212") { ${selection} } }` });
    expectRefused(await post('person:read', lookup('home: address { streetName }')), 'Person.address', [['address:read']]);
    expectRefused(await post('person:read', lookup('... on Person { familyRelations(first: 5) { totalCount } }')), 'Person.familyRelations', [['family:read']]);
    expectRefused(
      await post('person:read', { query: '{ person(identifier: "191212121212") { ...R } } fragment R on Person { reserveIdentities { value } }' }),
      'Person.reserveIdentities',
      [['reserve-id:read']],
    );
    // …and events:read alone does not read the person an event is about.
    expectRefused(
      await post('events:read', { query: '{ changeEvents(first: 1) { edges { node { person { name { familyName } } } } } }' }),
      'ChangeEvent.person',
      [['person:read']],
    );
    // With the domain's scope, the same read answers.
    const allowed = await post('person:read address:read', lookup('home: address { streetName }'));
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data.person.home.streetName).toBe('Storgatan');
  });

  it('through a persisted document, by documentId (POST) and by the persisted-query hash (GET)', async () => {
    const byId = await post('person:read', { documentId: `sha256:${sha256(ADDRESS_LOOKUP)}`, variables: { i: anna.identifier } }, 'partner-app');
    expectRefused(byId, 'Person.address', [['address:read']]);
    const byHash = await get(
      'person:read',
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ADDRESS_LOOKUP) } }, variables: { i: anna.identifier } },
      'partner-app',
    );
    expectRefused(byHash, 'Person.address', [['address:read']]);
    const entitled = await post('person:read address:read', { documentId: sha256(ADDRESS_LOOKUP), variables: { i: anna.identifier } }, 'partner-app');
    expect(entitled.body).toEqual({ data: { person: { address: { streetName: 'Storgatan' } } } });
  });

  it('through a GET query', async () => {
    expectRefused(await get('person:read', { query: '{ changeEvents(first: 1) { __typename } }' }), 'Query.changeEvents', [['events:read']]);
  });

  it('over the websocket: a query, and a subscription selecting a person', async () => {
    const single = await once(await socket('person:read'), '{ person(identifier: "191212121212") { address { streetName } } }');
    expect(single.data).toBeUndefined();
    expect(single.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN', requiredScopes: { 'Person.address': [['address:read']] } } }]);
    const events = await subscribe(await socket('events:read'), { query: 'subscription { changeEvents { type person { name { familyName } } } }' });
    expect(events.started).toBe(false);
    expect(!events.started && events.ending).toMatchObject({
      kind: 'errors',
      errors: [{ extensions: { code: 'FORBIDDEN', requiredScopes: { 'ChangeEvent.person': [['person:read']] } } }],
    });
  });
});

describe('search by municipality is an address question', () => {
  it('needs address:read besides person:read, over a variable too; with both it answers', async () => {
    const query = 'query($m: String) { searchPersons(filter: { municipalityCode: $m }, first: 5) { edges { node { id } } } }';
    const refused = await post('person:read', { query, variables: { m: '0180' } });
    expect(refused.body.data?.searchPersons ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: [['address:read']] });
    const answered = await post('person:read address:read', { query, variables: { m: '0180' } });
    expect(answered.body.errors).toBeUndefined();
    expect(Array.isArray(answered.body.data.searchPersons.edges)).toBe(true);
    // A name search needs no address scope.
    const byName = await post('person:read', { query: '{ searchPersons(filter: { name: "Östlund" }, first: 5) { edges { node { id } } } }' });
    expect(byName.body.errors).toBeUndefined();
    expect(byName.body.data.searchPersons.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(anna.id);
  });
});

describe('folkreg:read, the bundle', () => {
  it('reads every domain: person, address, family, reserve identities and events in one operation', async () => {
    const res = await post('folkreg:read', {
      query: `{
        person(identifier: "191212121212") { name { familyName } address { municipalityCode } familyRelations(first: 5) { totalCount } reserveIdentities { value } }
        changeEvents(first: 5) { edges { node { type person { name { givenNames } } } } }
        reserveIdentity(identifier: "22121212AB06") { person { id } }
      }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.person).toEqual({
      name: { familyName: 'Östlund' },
      address: { municipalityCode: '0180' },
      familyRelations: { totalCount: 1 },
      reserveIdentities: [{ value: '22121212AB06' }],
    });
    expect(res.body.data.changeEvents.edges[0].node).toEqual({ type: 'MOVE', person: { name: { givenNames: 'Anna' } } });
  });

  it('is not the audit log, and writes nothing', async () => {
    expectRefused(await post('folkreg:read', { query: ROOT_FIELDS['Query.auditEvents']!.operation }), 'Query.auditEvents', [['audit:read']]);
    expectRefused(await post('folkreg:read', { query: ROOT_FIELDS['Mutation.moveAddress']!.operation }), 'Mutation.moveAddress', [['address:write']]);
  });
});

describe('trusted documents on the websocket', () => {
  it('a restricted client: free text refused (DOCUMENT_NOT_REGISTERED), then on the same socket a registered documentId or hash subscribes', async () => {
    const client = await socket('folkreg:read', 'partner-app');
    const free = await subscribe(client, { query: 'subscription { changeEvents { type person { address { streetName } } } }' });
    expect(free.started).toBe(false);
    expect(!free.started && free.ending).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'DOCUMENT_NOT_REGISTERED' } }] });
    const unknown = await subscribe(client, { query: '', documentId: `sha256:${'0'.repeat(64)}` });
    expect(!unknown.started && unknown.ending).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    const byId = await subscribe(client, { query: '', documentId: `sha256:${sha256(LIVE_MOVES)}` });
    expect(byId.started).toBe(true);
    const byHash = await subscribe(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LIVE_MOVES) } } });
    expect(byHash.started).toBe(true);
    const registeredText = await subscribe(client, { query: LIVE_MOVES });
    expect(registeredText.started).toBe(true);
    for (const s of [byId, byHash, registeredText]) if (s.started) s.stop();
  });

  it('a restricted client gets no query over the websocket either, unless registered', async () => {
    const client = await socket('folkreg:read', 'partner-app');
    const free = await once(client, '{ person(identifier: "191212121212") { name { familyName } } }');
    expect(free).toMatchObject({ errors: [{ extensions: { code: 'DOCUMENT_NOT_REGISTERED' } }] });
    expect(free.data).toBeUndefined();
  });

  it('other clients still send any document', async () => {
    const other = await subscribe(await socket('folkreg:read', 'kommun-x'), { query: 'subscription { changeEvents { type } }' });
    expect(other.started).toBe(true);
    if (other.started) other.stop();
  });
});

describe('no "Did you mean" with introspection off', () => {
  // Each case: the request, and the name a suggestion would give away.
  const cases: [string, Record<string, unknown>, string][] = [
    ['a misspelt field', { query: '{ persn(identifier: "191212121212") { id } }' }, '"person"'],
    ['a misspelt enum value', { query: '{ changeEvents(first: 1, filter: { types: [MOV] }) { __typename } }' }, '"MOVE"'],
    ['a misspelt input field', { query: '{ changeEvents(first: 1, filter: { typs: [MOVE] }) { __typename } }' }, '"types"'],
    ['a misspelt argument', { query: '{ changeEvents(frist: 1) { __typename } }' }, '"first"'],
    [
      'a misspelt enum value in a variable',
      { query: 'query($f: ChangeEventFilter) { changeEvents(first: 1, filter: $f) { __typename } }', variables: { f: { types: ['MOV'] } } },
      '"MOVE"',
    ],
    [
      'a misspelt input field in a variable',
      { query: 'query($f: ChangeEventFilter) { changeEvents(first: 1, filter: $f) { __typename } }', variables: { f: { typs: ['MOVE'] } } },
      '"types"',
    ],
  ];

  it.each(cases)('over HTTP: %s', async (_name, body, suggested) => {
    const control = await post('folkreg:read', body, undefined, dev);
    expect(control.body.errors?.[0]?.message).toMatch(/Did you mean/);
    expect(control.body.errors?.[0]?.message).toContain(suggested);
    const res = await post('folkreg:read', body);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    for (const error of res.body.errors!) {
      expect(error.message).not.toMatch(/Did you mean/);
      expect(error.message).not.toContain(suggested);
    }
  });

  it.each([
    ['a misspelt field', 'subscription { changeEvents { typ } }'],
    ['a misspelt enum value', 'subscription { changeEvents(filter: { types: [MOV] }) { type } }'],
    ['a misspelt input field', 'subscription { changeEvents(filter: { typs: [MOVE] }) { type } }'],
  ])('over the websocket: %s', async (_name, query) => {
    const control = await subscribe(await socket('folkreg:read', undefined, dev), { query }, dev);
    expect(!control.started && JSON.stringify(control.ending)).toMatch(/Did you mean/);
    const res = await subscribe(await socket('folkreg:read'), { query });
    expect(res.started).toBe(false);
    expect(!res.started && res.ending.kind).toBe('errors');
    expect(JSON.stringify(!res.started && res.ending)).not.toMatch(/Did you mean|"MOVE"|"types"|"type"/);
  });

  it('over the websocket: a misspelt input field in a variable', async () => {
    const query = 'subscription($f: ChangeEventFilter) { changeEvents(filter: $f) { type } }';
    const control = await subscribe(await socket('folkreg:read', undefined, dev), { query, variables: { f: { typs: ['MOVE'] } } }, dev);
    expect(!control.started && JSON.stringify(control.ending)).toMatch(/Did you mean/);
    const res = await subscribe(await socket('folkreg:read'), { query, variables: { f: { typs: ['MOVE'] } } });
    expect(JSON.stringify(!res.started && res.ending)).not.toMatch(/Did you mean|"types"/);
  });
});
