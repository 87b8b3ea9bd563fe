import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TcpProxy, throughProxy } from '../support/tcp-proxy.js';

/**
 * A Postgres server that stops answering (a network blackhole between the subgraphs and the database,
 * made by a TCP proxy the test controls). The embedded database runs in-process and cannot be cut off,
 * so this file runs against a Postgres server (DATABASE_URL, as in CI) only.
 */
const onServer = !!process.env.DATABASE_URL;

let database: TestDatabase;
let proxy: TcpProxy;
let viaProxy: Database;
let stack: TestStack;
let anna: FixturePerson;
let auth: Record<string, string>;

const STATEMENT_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 1_000;
const PERSON = `query($i: String!) { person(identifier: $i) { name { givenNames } } }`;

beforeAll(async () => {
  if (!onServer) return;
  database = await createTestDatabase();
  anna = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
  const target = new URL(database.url!);
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  viaProxy = await openDatabase({
    url: throughProxy(database.url!, proxy),
    maxConnections: 4,
    timeouts: { statementTimeoutMs: STATEMENT_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS },
  });
  stack = await startTestStack(viaProxy.db);
  auth = { authorization: `Bearer ${await stack.issue({ scope: 'folkreg:read', sub: 'outage' })}` };
});

afterAll(async () => {
  proxy?.restore();
  await stack?.close();
  await viaProxy?.close();
  await proxy?.close();
  await database?.dispose();
});

async function ask(): Promise<{ status: number; retryAfter: string | null; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query: PERSON, variables: { i: anna.identifier } }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json(), ms: performance.now() - started };
}

describe.skipIf(!onServer)('a database that stops answering', () => {
  it('serves normally before the outage', async () => {
    const res = await ask();
    expect(res.status).toBe(200);
    expect(res.body.data.person.name.givenNames).toBe('Anna');
  });

  it('fails requests within the configured timeout with 503, Retry-After and DATABASE_UNAVAILABLE naming the subgraph', async () => {
    proxy.blackhole();
    const res = await ask();
    // Bound: the statement timeout plus 1 s for an answer, or the connect timeout; far from the ~30 s before.
    expect(res.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 1_000 + CONNECT_TIMEOUT_MS + 2_000);
    expect(res.status).toBe(503);
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
    expect(res.body.errors.map((e: any) => [e.extensions.code, e.extensions.subgraph])).toEqual([['DATABASE_UNAVAILABLE', 'person']]);
    expect(res.body.errors[0].message).not.toMatch(/Internal server error/);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|select|ECONN/i);
  });

  it('readiness says so, on the gateway (ready, degraded: README "Readiness") and on the subgraph, while /healthz still answers', async () => {
    const ready = await fetch(stack.gateway.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, degraded: true, subgraphs: { person: 'database unreachable' } });
    const own = await fetch(stack.subgraphs.person.url.replace('/graphql', '/readyz'));
    expect(own.status).toBe(503);
    expect((await fetch(stack.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });

  it('recovers by itself once the path is back: no restart', async () => {
    proxy.restore();
    const res = await ask();
    expect(res.status).toBe(200);
    expect(res.body.data.person.name.givenNames).toBe('Anna');
    const ready = await fetch(stack.gateway.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
  });

  it('a database that is down (connections cut and closed) is 503 DATABASE_UNAVAILABLE too, and recovers by itself', async () => {
    proxy.cut();
    const down = await ask();
    expect(down.status).toBe(503);
    expect(down.body.errors.map((e: any) => [e.extensions.code, e.extensions.subgraph])).toEqual([['DATABASE_UNAVAILABLE', 'person']]);
    proxy.restore();
    const back = await ask();
    expect(back.status).toBe(200);
    expect(back.body.data.person.name.givenNames).toBe('Anna');
  });
});
