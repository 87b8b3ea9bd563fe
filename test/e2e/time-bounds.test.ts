import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraph } from '../../schema/compose.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-auth.js';
import { ephemeralSecrets, type StackSecrets } from '../../kernel/secrets.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, graphql, useTestStack } from '../support/stack.js';

let secrets: StackSecrets;
let issuer: DevIssuer;
let anna: FixturePerson;
let auth: Record<string, string>;
const extra: { close(): Promise<void> }[] = [];

const PERSON = `query($i: String!) { person(identifier: $i) { name { givenNames } address { postalCode } } }`;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    secrets = await ephemeralSecrets();
    issuer = await ephemeralDevIssuer();
  },
  // No webhook worker: its own head long-poll would be the request in flight that the drain test below
  // waits for, and the subgraph would close before the test's poll arrived.
  stack: () => ({ secrets, issuer, timeouts: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 }, webhooks: false }),
});

beforeAll(async () => {
  auth = { authorization: `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'time-bounds' })}` };
});

afterAll(async () => {
  for (const c of extra.reverse()) await c.close();
});

/** A second gateway over the stack's subgraphs, with some subgraph URLs replaced by servers the test controls. */
async function gatewayWith(replace: Partial<Record<SubgraphName, string>>, more: Partial<Parameters<typeof startGateway>[0]> = {}): Promise<RunningGateway> {
  const urls = Object.fromEntries(Object.entries(env.stack.subgraphs).map(([name, s]) => [name, s.url])) as Record<SubgraphName, string>;
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    subgraphUrls: { ...urls, ...replace },
    signingKey: secrets.gatewayKeys.privateKey,
    auth: issuer.authOptions,
    port: 0,
    loadShedding: false,
    ...more,
  });
  extra.push(gateway);
  return gateway;
}

/** An HTTP server standing in for a subgraph; `handle` decides what it does with each request. */
async function fakeSubgraph(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  extra.push({ close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

/** Opens a raw TCP connection, writes `bytes`, and resolves with how long the server kept it open. */
function openFor(port: number, bytes: string): Promise<{ ms: number; answer: string }> {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const socket = netConnect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', fail);
    socket.on('close', () => ok({ ms: performance.now() - started, answer }));
  });
}

describe('slow connections', () => {
  const half = 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n';

  it('the gateway closes a connection that sends half its headers within the header timeout', async () => {
    const { ms, answer } = await openFor(env.stack.gateway.port, half);
    // 500 ms bound, checked every second: closed well before Node's own 60 s header limit (and 30 s check).
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a subgraph server closes it too', async () => {
    const { ms } = await openFor(env.stack.subgraphs.person.port, half);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5_000);
  });

  it('the gateway closes a connection that sends headers and then trickles its body within the request timeout', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const { ms, answer } = await openFor(
      env.stack.gateway.port,
      `POST /graphql HTTP/1.1\r\nHost: x\r\nauthorization: ${auth.authorization}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 3)}`,
    );
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(6_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('still serves a well-formed request on the same server', async () => {
    const res = await graphql(env.stack.gateway.url, PERSON, { i: anna.identifier }, auth);
    expect(res.errors).toBeUndefined();
    expect(res.data.person.name.givenNames).toBe('Anna');
  });
});

describe('a subgraph that answers too slowly', () => {
  it('gives SUBGRAPH_TIMEOUT naming it, the other fields answered, and the fetch is abandoned', async () => {
    let abandoned!: () => void;
    const gone = new Promise<void>((ok) => (abandoned = ok));
    // Reads the request and never answers; notes when the gateway hangs up.
    const slow = await fakeSubgraph((req) => {
      req.resume();
      req.socket.once('close', abandoned);
    });
    const gateway = await gatewayWith({ address: slow.url }, { timeBounds: { subgraphTimeoutMs: 300 } });
    const started = performance.now();
    const res = await graphql(gateway.url, PERSON, { i: anna.identifier }, auth);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(200);
    expect(res.data.person.name.givenNames).toBe('Anna');
    expect(res.data.person.address).toBeNull();
    const error = res.errors!.find((e) => e.extensions?.code === 'SUBGRAPH_TIMEOUT');
    expect(error?.extensions).toMatchObject({ subgraph: 'address', reason: 'SUBGRAPH_TIMEOUT', limitMs: 300 });
    expect(codes(res)).not.toContain('SUBGRAPH_UNAVAILABLE');
    await gone;
  });

  it('a request whose whole plan misses its deadline is HTTP 504 with REQUEST_DEADLINE', async () => {
    const slow = await fakeSubgraph((req) => req.resume());
    const gateway = await gatewayWith({ person: slow.url }, { timeBounds: { requestTimeoutMs: 300 } });
    const res = await graphql(gateway.url, PERSON, { i: anna.identifier }, auth);
    expect(res.status).toBe(504);
    expect(res.errors!.map((e) => [e.extensions?.code, e.extensions?.subgraph, e.extensions?.reason])).toEqual([
      ['SUBGRAPH_TIMEOUT', 'person', 'REQUEST_DEADLINE'],
    ]);
  });
});

describe('a subgraph that refuses the request as too large', () => {
  it('is reported as SUBGRAPH_REQUEST_TOO_LARGE with the size sent, not as SUBGRAPH_UNAVAILABLE', async () => {
    // What a subgraph's own body bound answers (subgraphs/shared/http.ts).
    const strict = await fakeSubgraph((req, res) => {
      req.resume();
      res
        .writeHead(413, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: 'Request body over 10 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
    });
    const gateway = await gatewayWith({ address: strict.url });
    const res = await graphql(gateway.url, PERSON, { i: anna.identifier }, auth);
    expect(res.data.person.name.givenNames).toBe('Anna');
    expect(res.data.person.address).toBeNull();
    const error = res.errors!.find((e) => e.extensions?.subgraph === 'address');
    expect(error?.extensions?.code).toBe('SUBGRAPH_REQUEST_TOO_LARGE');
    expect(error?.extensions?.bytes).toBeGreaterThan(0);
  });
});

describe('load shedding', () => {
  it('sheds GraphQL requests with 503 and Retry-After while the event loop lags; /healthz and /readyz still answer', async () => {
    const gateway = await gatewayWith({}, { loadShedding: { maxEventLoopDelayMs: 50, holdMs: 2_000 } });
    const shedder = gateway.loadShedding!;
    await shedder.until(false);
    // A task that holds the loop (what a flood or a heavy document does to the gateway's process).
    const until = performance.now() + 300;
    while (performance.now() < until);
    await shedder.until(true);

    const shed = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: PERSON, variables: { i: anna.identifier } }),
    });
    expect(shed.status).toBe(503);
    expect(Number(shed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await shed.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'OVERLOADED', reason: 'EVENT_LOOP_DELAY', maxDelayMs: 50 });
    expect(body.errors[0]!.extensions.delayMs).toBeGreaterThan(50);
    expect((await fetch(gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect((await fetch(gateway.url.replace('/graphql', '/readyz'))).status).toBe(200);

    await shedder.until(false);
    const served = await graphql(gateway.url, PERSON, { i: anna.identifier }, auth);
    expect(served.status).toBe(200);
    expect(served.data.person.name.givenNames).toBe('Anna');
    expect(shedder.shed).toBeGreaterThanOrEqual(1);
  });
});

// Last: it stops the stack's subscription subgraph.
describe('a subgraph that stops', () => {
  it('answers a head long-poll in flight at once with the current head, instead of holding its drain for the whole wait', async () => {
    const head = (
      await graphql(
        env.stack.gateway.url,
        `
          {
            changeEventsHead
          }
        `,
        undefined,
        auth,
      )
    ).data.changeEventsHead;
    // Other requests may be in flight to it (earlier tests' connections): wait for this one.
    const before = env.stack.subgraphs.subscription.requests!();
    const started = performance.now();
    const waiting = graphql(
      env.stack.gateway.url,
      `
        query ($a: String) {
          changeEventsHead(after: $a, waitSeconds: 30)
        }
      `,
      { a: head },
      auth,
    );
    // The wait has begun once the subgraph holds the request.
    const subscription = env.stack.subgraphs.subscription;
    await until(() => subscription.requests!() > before);
    await env.stack.subgraphs.subscription.close();
    const res = await waiting;
    expect(res.errors).toBeUndefined();
    expect(res.data.changeEventsHead).toBe(head);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

/** Resolves once `test()` holds, re-checked on every turn of the event loop (no fixed sleeps). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((ok) => setImmediate(ok));
}
