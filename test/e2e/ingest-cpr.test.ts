import { request as httpRequest } from 'node:http';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { ANONYMOUS } from '../../kernel/caller.js';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '../../kernel/gateway-token.js';
import { forwardedIngestBody, INGEST_CPR_PATH, INGEST_MAX_BYTES } from '../../kernel/ingest-route.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { cprFile, dkPnr, type CprPersonSpec } from '../support/cpr-files.js';
import { bearer, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

let secrets: Awaited<ReturnType<typeof ephemeralSecrets>>;
const env = useTestStack({ stack: async () => ({ secrets: (secrets = await ephemeralSecrets()) }) });
let ingester: string;
beforeAll(async () => {
  ingester = await env.stack.token('register:ingest', { sub: 'cpr-feed', client: 'cpr-feed' });
});

const home = { komkod: '0101', street: 'Ægirsgade', house: '12', postnr: '2200', district: 'København N', since: '2016-01-01' };
const mette: CprPersonSpec = { pnr: dkPnr('1980-01-01', 50), birthDate: '1980-01-01', given: 'Mette', family: 'Holm', address: home };

async function post(path: string, body: Uint8Array | string, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(new URL(path, env.stack.gateway.url), {
    method,
    body: method === 'GET' ? undefined : (body as unknown as BodyInit),
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
  return { status: res.status, body: (await res.json()) as any };
}
const ingest = (file: Uint8Array, token = ingester, query = '') => post(`${INGEST_CPR_PATH}${query}`, file, bearer(token));
const runs = async () => (await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from ingest_runs`))[0]!.n;
const personsCount = async () => (await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from persons`))[0]!.n;

const READ = `query($id: String!) { person(identifier: $id) { id name { givenNames familyName } address { streetName } } }`;

describe('POST /ingest/cpr on the gateway', () => {
  it('ingests the body and answers the report; the run is audited with the caller', async () => {
    const res = await ingest(cprFile({ task: 1, date: '2026-11-01' }, [mette]));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'cpr', accepted: true, summary: { personsCreated: 1, personsRefused: 0 }, lines: [] });
    const read = await env.stack.query(READ, { id: mette.pnr });
    expect(read.data.person.name).toEqual({ givenNames: 'Mette', familyName: 'Holm' });
    const [run] = await selectRows<{ subject: string; client: string; accepted: boolean; file_bytes: number }>(
      env.db,
      sql`select subject, client, accepted, file_bytes from ingest_runs`,
    );
    expect(run).toMatchObject({ subject: 'cpr-feed', client: 'cpr-feed', accepted: true });
  });

  it('a protection record masks the person at the very next read through the gateway', async () => {
    const protectedFile = cprFile({ task: 1, date: '2026-11-02', previous: '2026-11-01' }, [{ ...mette, protection: [{ type: '0001', from: '2026-01-01' }] }]);
    expect((await ingest(protectedFile)).body.summary).toMatchObject({ personsUpdated: 1 });
    const masked = await env.stack.query(READ, { id: mette.pnr });
    expect(masked.data.person).toMatchObject({ name: null, address: null });
    expect(masked.errors?.map((e) => e.extensions?.code)).toEqual(['PROTECTED_IDENTITY', 'PROTECTED_IDENTITY']);
  });

  it('refuses without a token, with the wrong scope, other methods and bodies over the limit, writing nothing', async () => {
    const file = cprFile({ task: 2, date: '2026-11-01' }, [{ ...mette, pnr: dkPnr('1981-01-01', 51), birthDate: '1981-01-01' }]);
    const [before, beforeRuns] = [await personsCount(), await runs()];
    const none = await post(INGEST_CPR_PATH, file);
    expect([none.status, none.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const writer = await env.stack.token('folkreg:read register:write');
    const wrong = await ingest(file, writer);
    expect([wrong.status, wrong.body.errors[0].extensions]).toEqual([
      403,
      { code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: [['register:ingest']] },
    ]);
    const get = await post(INGEST_CPR_PATH, '', bearer(ingester), 'GET');
    expect([get.status, get.body.errors[0].extensions.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    const empty = await ingest(Buffer.alloc(0));
    expect([empty.status, empty.body.errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
    // A declared length over the limit is refused before a byte of the body is read.
    const tooLarge = await new Promise<{ status: number; body: any }>((ok, fail) => {
      const req = httpRequest(
        new URL(INGEST_CPR_PATH, env.stack.gateway.url),
        { method: 'POST', headers: { ...bearer(ingester), 'content-length': String(INGEST_MAX_BYTES + 1) } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => ok({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', fail);
      req.write(file);
    });
    expect([tooLarge.status, tooLarge.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect([await personsCount(), await runs()]).toEqual([before, beforeRuns]);
  });

  it('the person subgraph’s route answers only a gateway token for this route and this body, once', async () => {
    const url = new URL(INGEST_CPR_PATH, env.stack.subgraphs.person.url);
    const body = forwardedIngestBody(
      { force: false },
      cprFile({ task: 3, date: '2026-11-01' }, [{ ...mette, pnr: dkPnr('1982-01-01', 52), birthDate: '1982-01-01' }]),
    );
    const caller = { ...ANONYMOUS, subject: 'cpr-feed', scopes: ['register:ingest'] };
    const send = async (token?: string, payload: Uint8Array = body) => {
      const res = await fetch(url, { method: 'POST', body: payload as unknown as BodyInit, headers: token ? { [GATEWAY_TOKEN_HEADER]: token } : {} });
      return { status: res.status, body: (await res.json()) as any };
    };
    const before = await personsCount();
    expect((await send()).body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'GATEWAY_TOKEN_MISSING' });
    const forOther = signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph: 'person', body: 'something else', route: INGEST_CPR_PATH });
    expect((await send(forOther)).body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'GATEWAY_TOKEN_WRONG_REQUEST' });
    // A token for this very body but the subgraph's GraphQL door (no route claim), and the reverse: this
    // route's token presented at /graphql with the same body.
    const forGraphql = signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph: 'person', body });
    expect((await send(forGraphql)).body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'GATEWAY_TOKEN_WRONG_ROUTE' });
    const forIngest = signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph: 'person', body, route: INGEST_CPR_PATH });
    const atGraphql = await fetch(new URL('/graphql', env.stack.subgraphs.person.url), {
      method: 'POST',
      body: body as unknown as BodyInit,
      headers: { [GATEWAY_TOKEN_HEADER]: forIngest, 'content-type': 'application/json' },
    });
    expect([atGraphql.status, ((await atGraphql.json()) as any).errors[0].extensions]).toEqual([
      401,
      { code: 'UNAUTHENTICATED', reason: 'GATEWAY_TOKEN_WRONG_ROUTE' },
    ]);
    const noScope = signGatewayToken({ ...caller, scopes: ['folkreg:read'] }, secrets.gatewayKeys.privateKey, {
      subgraph: 'person',
      body,
      route: INGEST_CPR_PATH,
    });
    expect((await send(noScope)).body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
    expect(await personsCount()).toBe(before);
    const token = signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph: 'person', body, route: INGEST_CPR_PATH });
    expect((await send(token)).body.summary).toMatchObject({ personsCreated: 1 });
    const replay = await send(token);
    expect([replay.status, replay.body.errors[0].extensions]).toEqual([401, { code: 'UNAUTHENTICATED', reason: 'GATEWAY_TOKEN_REPLAYED' }]);
  });
});

describe('events of 099 records', () => {
  const LIVE = `subscription($filter: ChangeEventFilter) { changeEvents(filter: $filter) { type cprChangeCode identifier } }`;
  const PULL = `query($filter: ChangeEventFilter) { changeEvents(first: 100, filter: $filter) { edges { node { type cprChangeCode identifier } } } }`;

  it('appear in pulls and on a websocket exactly once, however often the file is ingested', async () => {
    const anna: CprPersonSpec = {
      pnr: dkPnr('1990-03-04', 60),
      birthDate: '1990-03-04',
      address: home,
      events: [
        { at: '202611010800', code: 'A01' },
        { at: '202611010900', code: 'A13' },
      ],
    };
    const last: CprPersonSpec = {
      pnr: dkPnr('1991-03-04', 61),
      birthDate: '1991-03-04',
      address: home,
      events: [{ at: '202611020800', code: 'A21' }],
      status: '90',
      statusDate: '2026-11-02',
    };
    const filter = { types: ['MOVE', 'NAME_CHANGE', 'DEATH'] };
    const subscriber = {
      authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read events:subscribe', client: 'integrator', sub: 'integrator' })}`,
    };
    const client = connect(env.stack.gateway.url, subscriber);
    try {
      const live = new Collector(client, LIVE, { filter });
      await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
      const file = cprFile({ task: 9, date: '2026-11-01' }, [anna]);
      expect((await ingest(file)).body.summary.eventsWritten).toBe(2);
      expect((await ingest(file)).body.summary).toMatchObject({ eventsWritten: 0, personsUnchanged: 1 });
      expect((await ingest(file)).body.summary.eventsWritten).toBe(0);
      // A last event after the repeats: everything before it has been delivered when it arrives.
      await ingest(cprFile({ task: 9, date: '2026-11-02', previous: '2026-11-01' }, [anna, last]));
      const delivered = (await live.take(3)).map((r) => [r.data!.changeEvents.type, r.data!.changeEvents.cprChangeCode, r.data!.changeEvents.identifier]);
      expect(delivered).toEqual([
        ['MOVE', 'A01', anna.pnr],
        ['NAME_CHANGE', 'A13', anna.pnr],
        ['DEATH', 'A21', last.pnr],
      ]);
      const pulled = await env.stack.queryAs(subscriber.authorization.slice(7), PULL, { filter });
      expect(pulled.data.changeEvents.edges.map((e: any) => [e.node.type, e.node.identifier])).toEqual([
        ['MOVE', anna.pnr],
        ['NAME_CHANGE', anna.pnr],
        ['DEATH', last.pnr],
      ]);
      expect(live.results).toHaveLength(3);
    } finally {
      await client.dispose();
    }
  });
});
