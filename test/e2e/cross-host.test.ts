import { randomBytes, randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { appendChangeEvents, type EventPosition } from '../../db/outbox.js';
import { ephemeralDevIssuer, DEV_AUDIENCE, DEV_ISSUER, type DevIssuer } from '../../gateway/dev-auth.js';
import { exportGatewayKeys, generateGatewayKeys } from '../../kernel/gateway-token.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../kernel/subgraph-names.js';
import { subgraphUrlVariable } from '../../kernel/config.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { CURSOR_SCOPE } from '../../subgraphs/subscription/resolvers.js';
import { folkregClient, followChangeEvents, type ChangeEvent } from '../clients/follow-change-events.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { NamespaceHost, removeLeftoverHosts, stopProcess, untilOutput, whyNamespacesUnavailable } from '../support/netns.js';
import { RoundRobinProxy } from '../support/round-robin-proxy.js';
import { wsUrl } from '../support/subscriptions.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/**
 * folkreg proven across hosts (issue 17): two "hosts" — network namespaces this test creates, each
 * joined to this one by a veth pair only — each run a gateway and all five subgraphs as separate
 * processes (`launch/gateway.ts`, `launch/subgraph.ts`), on one Postgres and one Redis, behind a
 * round-robin proxy that honours `/readyz` (test/support/round-robin-proxy.ts, the test's own, in the
 * manner of HAProxy's `option httpchk`). Under steady writes, queries and websocket subscribers the
 * gateways are restarted one at a time. The servers listen on 127.0.0.1 only: forwarders on this
 * side's end of each veth pair carry the namespaces' connections to them.
 *
 * It needs root, iproute2 and a Postgres server (separate processes cannot share the embedded
 * database). CI (`.ci/run`, as root, with DATABASE_URL) must run it; elsewhere it says why it skipped.
 */

const SERVER_URL = process.env.DATABASE_URL;
const REDIS = { host: '127.0.0.1', port: 6379 };
const unavailable = SERVER_URL
  ? whyNamespacesUnavailable()
  : 'it needs a Postgres server (DATABASE_URL): processes on other hosts cannot share the embedded database';
// Under CI it runs whenever there is a server to run on: a missing root or `ip` then fails the set-up.
const runs = SERVER_URL !== undefined && (unavailable === null || Boolean(process.env.CI));
if (!runs) console.warn(`\n*** cross-host.test.ts does NOT run: ${unavailable} ***\n`);

const GATEWAY_PORT = 4000;
/** Subgraph ports inside each namespace (each has its own loopback, so both hosts use the same). */
const SUBGRAPH_PORT: Record<SubgraphName, number> = { person: 4101, family: 4102, address: 4103, 'reserve-id': 4104, subscription: 4105 };
const SUBSCRIBERS = 6;
/** Pause between one traffic loop's requests (two writers, two readers). @default 100 // milliseconds */
const PACE_MS = 100;
/** A lookup costs 3 units (the operation, the person, the name): 30 units are ten lookups a minute. */
const METERED_BUDGET = 30;
const LOOKUP = 'query Lookup($i: String!) { person(identifier: $i) { name { givenNames } } }';
const WRITE = `mutation Write($input: ContactDetailsInput!) { updateContactDetails(input: $input) { version } }`;
/**
 * Every wait of the test has a deadline. A process start takes 5 s on an idle 2-core machine and 30 s
 * when other suites share it: twelve of them start at once.
 */
const START_DEADLINE_MS = 90_000;
const RETRY_DEADLINE_MS = 15_000;

/** One host: its namespace, its forwarders to Postgres and Redis, and the processes it runs. */
interface Host {
  name: 'a' | 'b';
  net: NamespaceHost;
  env: { subgraph: Record<string, string>; gateway: Record<string, string> };
  /** The person subgraph's own way to Postgres: cut, it makes the host's gateway not ready. */
  personDatabase: TcpProxy;
  gateway: ChildProcess;
  subgraphs: Record<SubgraphName, ChildProcess>;
  /** The gateway's URL as this host reaches it (its namespace's address). */
  origin: string;
}

let database: TestDatabase;
let issuer: DevIssuer;
let cursors: CursorCodec;
let files: string;
const forwarders: TcpProxy[] = [];
const hosts: Host[] = [];
let proxy: RoundRobinProxy;
let writers: FixturePerson[] = [];
let anna: FixturePerson;

function startSubgraph(host: Host, name: SubgraphName): ChildProcess {
  const child = host.net.node(['launch/subgraph.ts', name], {
    ...host.env.subgraph,
    ...(name === 'person' ? { DATABASE_URL: forwarded(host.net, host.personDatabase) } : {}),
    PORT: String(SUBGRAPH_PORT[name]),
    // Host A's person subgraph migrates (a no-op on the test's migrated copy); everything else does not.
    MIGRATE_ON_START: host.name === 'a' && name === 'person' ? 'true' : 'false',
  });
  host.subgraphs[name] = child;
  return child;
}

function startGateway(host: Host): ChildProcess {
  host.gateway = host.net.node(['launch/gateway.ts'], host.env.gateway);
  return host.gateway;
}

/** The test database's URL as `net` reaches it: through `forwarder` on this side's end of its veth pair. */
function forwarded(net: NamespaceHost, forwarder: TcpProxy): string {
  const url = new URL(database.url!);
  url.hostname = net.hostAddress;
  url.port = String(forwarder.port);
  return url.toString();
}

/** GET `<origin>/readyz` on a fresh connection: its status, 0 when nothing answered. */
function readyz(origin: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${origin}/readyz`, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Polls `probe` every 100 ms until it is true; throws `what` after `deadlineMs`. */
async function until(what: string, probe: () => boolean | Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await sleep(100);
  }
}

beforeAll(async () => {
  if (!runs) return;
  if (unavailable) throw new Error(`the cross-host test must run under CI, but ${unavailable}`);
  removeLeftoverHosts();
  database = await createTestDatabase();
  anna = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
  writers = [
    await insertPerson(database.db, { identifier: '194910082523', givenNames: 'Britt', familyName: 'Lind' }),
    await insertPerson(database.db, { identifier: '195603212398', givenNames: 'Carl', familyName: 'Berg' }),
  ];
  // A first event, so the log has a head for the subscribers to start after.
  await database.db.transaction((tx) => appendChangeEvents(tx, [{ type: 'PERSON_REGISTERED', personId: anna.id }]));

  issuer = await ephemeralDevIssuer();
  const { privateJwk, publicJwk } = await exportGatewayKeys(await generateGatewayKeys());
  const cursorSecret = randomBytes(32);
  cursors = new CursorCodec(cursorSecret);
  files = mkdtempSync(join(tmpdir(), 'folkreg-cross-host-'));
  writeFileSync(join(files, 'jwks.json'), JSON.stringify(issuer.authOptions.jwks));
  writeFileSync(join(files, 'limits.json'), JSON.stringify({ clients: { metered: { costPerMinute: METERED_BUDGET } } }));
  const keyPrefix = `folkreg:test:${randomUUID()}`;

  for (const [index, name] of (['a', 'b'] as const).entries()) {
    const net = NamespaceHost.create(name, index);
    const postgresServer = { host: '127.0.0.1', port: Number(new URL(database.url!).port || 5432) };
    const toPostgres = await TcpProxy.start(postgresServer, net.hostAddress);
    const personDatabase = await TcpProxy.start(postgresServer, net.hostAddress);
    const toRedis = await TcpProxy.start(REDIS, net.hostAddress);
    forwarders.push(toPostgres, personDatabase, toRedis);
    const common = { LOG_LEVEL: 'info', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000', SHUTDOWN_DRAIN_MS: '5000' };
    hosts.push({
      name,
      net,
      env: {
        subgraph: {
          ...common,
          HOST: '127.0.0.1',
          DATABASE_URL: forwarded(net, toPostgres),
          DATABASE_POOL_SIZE: '3',
          GATEWAY_PUBLIC_KEY: JSON.stringify(publicJwk),
          CURSOR_SECRET: cursorSecret.toString('base64'),
        },
        gateway: {
          ...common,
          HOST: net.address,
          PORT: String(GATEWAY_PORT),
          ...Object.fromEntries(SUBGRAPH_NAMES.map((s) => [subgraphUrlVariable(s), `http://127.0.0.1:${SUBGRAPH_PORT[s]}/graphql`])),
          GATEWAY_PRIVATE_KEY: JSON.stringify(privateJwk),
          AUTH_JWKS_FILE: join(files, 'jwks.json'),
          AUTH_ISSUER: DEV_ISSUER,
          AUTH_AUDIENCE: DEV_AUDIENCE,
          LIMITS_FILE: join(files, 'limits.json'),
          REDIS_URL: `redis://${net.hostAddress}:${toRedis.port}`,
          REDIS_KEY_PREFIX: keyPrefix,
          IDE: 'off',
          // Each host's gateway reads its own host's subgraphs (a cell): a subgraph out is this host's
          // alone, so the proxy should send its clients to the other host (README "Readiness").
          GATEWAY_READINESS: 'all-subgraphs',
        },
      },
      personDatabase,
      gateway: undefined as never,
      subgraphs: {} as Host['subgraphs'],
      origin: `http://${net.address}:${GATEWAY_PORT}`,
    });
  }
  const started: Promise<unknown>[] = [];
  for (const host of hosts) {
    for (const name of SUBGRAPH_NAMES) started.push(untilOutput(startSubgraph(host, name), /folkreg subgraph \S+ on/, START_DEADLINE_MS));
    started.push(untilOutput(startGateway(host), /folkreg gateway on/, START_DEADLINE_MS));
  }
  await Promise.all(started);
  for (const host of hosts) await until(`gateway ${host.name} ready`, async () => (await readyz(host.origin)) === 200, START_DEADLINE_MS);
  proxy = await RoundRobinProxy.start(hosts.map((h) => ({ name: h.name, host: h.net.address, port: GATEWAY_PORT })));
  await until('the proxy sees both gateways ready', () => hosts.every((h) => proxy.isReady(h.name)), 5_000);
}, 120_000);

afterAll(async () => {
  if (!runs) return;
  await proxy?.close();
  for (const host of hosts) host.net.remove();
  await Promise.all(forwarders.map((f) => f.close()));
  if (files) rmSync(files, { recursive: true, force: true });
  await database?.dispose();
});

/** What one HTTP request through the proxy came to. */
type Outcome =
  | { kind: 'ok'; data: any }
  | { kind: 'retryable'; why: string; retryAfterMs: number; fromUnreadyGateway: boolean }
  | { kind: 'failed'; why: string; status: number; body: unknown };

/** POSTs a GraphQL request on a connection of its own (so the proxy's round robin applies to each). */
function post(origin: string, token: string, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve) => {
    const req = request(
      `${origin}/graphql`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, timeout: 15_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('error', (err) => resolve({ kind: 'failed', why: `response cut: ${err.message}`, status: res.statusCode ?? 0, body: text }));
        res.on('end', () => {
          let json: any = null;
          try {
            json = JSON.parse(text);
          } catch {
            // judged below
          }
          const codes: string[] = (json?.errors ?? []).map((e: any) => String(e.extensions?.code));
          const retryAfter = Number(res.headers['retry-after']);
          if (res.statusCode === 200 && json?.data && codes.length === 0) return resolve({ kind: 'ok', data: json.data });
          if (res.statusCode === 503 && Number.isFinite(retryAfter))
            return resolve({
              kind: 'retryable',
              why: `503 ${codes.join(',')}`,
              retryAfterMs: retryAfter * 1000,
              // A subgraph (or its database) unavailable: the answer of a gateway that is not ready.
              fromUnreadyGateway: codes.some((c) => c === 'SUBGRAPH_UNAVAILABLE' || c === 'DATABASE_UNAVAILABLE'),
            });
          resolve({ kind: 'failed', why: `HTTP ${res.statusCode} ${codes.join(',')}`, status: res.statusCode ?? 0, body: json ?? text });
        });
      },
    );
    // Before any response: the connection was refused, reset or cut; a client may send it again.
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'retryable', why: err.code ?? err.message, retryAfterMs: 100, fromUnreadyGateway: false }));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.end(body);
  });
}

/** The traffic's tally. */
const tally = { requests: 0, writes: 0, queries: 0, retries: 0, retryReasons: new Map<string, number>(), fromUnreadyGateway: 0, failures: [] as unknown[] };

/**
 * Sends a request until it succeeds, retrying what a client may retry (after Retry-After, or 100 ms)
 * until `RETRY_DEADLINE_MS`. `accept` may take a refusal as success (a write whose first try committed).
 * Returns the data, or null after recording a failure.
 */
async function send(token: string, query: string, variables: Record<string, unknown>, accept?: (body: any) => any): Promise<any> {
  const end = Date.now() + RETRY_DEADLINE_MS;
  let retried = false;
  for (;;) {
    tally.requests++;
    const outcome = await post(proxy.origin, token, query, variables);
    if (outcome.kind === 'ok') return outcome.data;
    if (outcome.kind === 'failed') {
      const accepted = retried && accept ? accept(outcome.body) : undefined;
      if (accepted !== undefined) return accepted;
      tally.failures.push(outcome);
      return null;
    }
    if (outcome.fromUnreadyGateway) tally.fromUnreadyGateway++;
    tally.retries++;
    tally.retryReasons.set(outcome.why, (tally.retryReasons.get(outcome.why) ?? 0) + 1);
    retried = true;
    if (Date.now() + outcome.retryAfterMs > end) {
      tally.failures.push({ ...outcome, gaveUpAfterMs: RETRY_DEADLINE_MS });
      return null;
    }
    await sleep(outcome.retryAfterMs);
  }
}

/** Writes `person`'s contact details again and again, sending back the version it read (one writer each). */
async function writeLoop(person: FixturePerson, token: string, running: () => boolean): Promise<void> {
  let version = 0;
  for (let n = 1; running(); n++) {
    const input = { personId: person.id, version, phone: `+46 70 ${String(n).padStart(6, '0')}` };
    // A retried write whose first try committed finds its own version: CONFLICT one past the one sent.
    const data = await send(token, WRITE, { input }, (body) => {
      const e = body?.errors?.[0]?.extensions;
      return e?.code === 'CONFLICT' && e.currentVersion === version + 1 ? { updateContactDetails: { version: version + 1 } } : undefined;
    });
    tally.writes++;
    if (!data) return;
    version = data.updateContactDetails.version;
    await sleep(PACE_MS);
  }
}

async function queryLoop(token: string, running: () => boolean): Promise<void> {
  while (running()) {
    const data = await send(token, LOOKUP, { i: anna.identifier });
    tally.queries++;
    if (!data) return;
    expect(data.person.name.givenNames).toBe('Anna');
    await sleep(PACE_MS);
  }
}

/** Events committed after `after`, read from Postgres in the log's order. */
async function committedAfter(after: EventPosition): Promise<string[]> {
  const rows = await selectRows<{ txId: string; id: number }>(
    database.db,
    sql`select tx_id::text as "txId", id from change_events where (tx_id, id) > (${after.txId}::xid8, ${after.id}) order by tx_id, id`,
  );
  return rows.map((r) => `${r.txId}/${r.id}`);
}

const positionOf = (cursor: string) => cursors.decode<EventPosition>(CURSOR_SCOPE, cursor);

/** A metered lookup straight to one gateway: its HTTP status. */
async function meteredLookup(host: Host, token: string): Promise<number> {
  const outcome = await post(host.origin, token, LOOKUP, { i: anna.identifier });
  if (outcome.kind === 'ok') return 200;
  if (outcome.kind === 'failed') return outcome.status;
  throw new Error(`metered lookup on gateway ${host.name}: ${outcome.why}`);
}

describe.runIf(runs)('two hosts behind a round-robin proxy, gateways restarted one at a time', () => {
  it('loses no request a client could not retry, delivers every event once to every subscriber, honours readiness and shares budgets', async () => {
    const began = Date.now();
    const reader = await issuer.issue({ scope: 'folkreg:read', sub: 'reader', client: 'reader' });
    const writer = await issuer.issue({ scope: 'folkreg:read person:write', sub: 'writer', client: 'writer' });
    const follower = await issuer.issue({ scope: 'folkreg:read', sub: 'follower', client: 'follower' });
    const metered = await issuer.issue({ scope: 'folkreg:read', sub: 'metered', client: 'metered' });

    const head = (await send(reader, '{ changeEventsHead }', {})).changeEventsHead as string;
    const start = positionOf(head);

    // Subscribers, as the README's integrator client: reconnect after any close, resume from the last cursor.
    const received: string[][] = [];
    const ends: unknown[] = [];
    let reconnects = 0;
    const clients = Array.from({ length: SUBSCRIBERS }, (_, i) => {
      received.push([]);
      const client = folkregClient(wsUrl(`${proxy.origin}/graphql`), async () => follower, {
        webSocketImpl: WebSocket,
        retryWait: () => sleep(200),
        shouldRetry: () => true,
        on: { connected: () => reconnects++ },
      });
      followChangeEvents(
        client,
        'type',
        head,
        (event: ChangeEvent) => {
          const p = positionOf(event.cursor);
          received[i]!.push(`${p.txId}/${p.id}`);
        },
        (reason) => ends.push(reason),
      );
      return client;
    });
    await until('every subscriber connected', () => reconnects >= SUBSCRIBERS, 10_000);

    let running = true;
    const traffic = Promise.all([
      ...writers.map((p) => writeLoop(p, writer, () => running)),
      queryLoop(reader, () => running),
      queryLoop(reader, () => running),
    ]);
    /** Every subscriber has every event committed so far. */
    const caughtUp = async (what: string) => {
      const committed = await committedAfter(start);
      await until(what, () => received.every((r) => r.length >= committed.length), 20_000);
    };

    const restarts: { host: string; routedWhileNotReady: number; saw503: boolean; [phaseMs: string]: unknown }[] = [];
    const meteredStatuses: number[] = [];
    for (const host of hosts) {
      await sleep(1_000); // steady traffic on both before each restart
      // The budget spans this restart: part of it is spent before, on both gateways.
      if (host.name === 'b') for (const h of [...hosts, ...hosts]) meteredStatuses.push(await meteredLookup(h, metered));
      // The gateway is restarted; it comes back while its person subgraph's database is out of reach (cut
      // after the old gateway drained, which still needed it), so it listens but is not ready: the proxy
      // must not use it until the database is back.
      const stopped = Date.now();
      expect(await stopProcess(host.gateway, 20_000)).toBe(0);
      const gatewayStopped = Date.now();
      host.personDatabase.cut();
      await untilOutput(startGateway(host), /folkreg gateway on/, START_DEADLINE_MS);
      const listening = Date.now();
      expect(await readyz(host.origin)).toBe(503);
      await sleep(1_000); // five of the proxy's checks, under traffic
      expect(await readyz(host.origin)).toBe(503);
      host.personDatabase.restore();
      const restored = Date.now();
      await until(`gateway ${host.name} ready again`, async () => (await readyz(host.origin)) === 200, 10_000);
      await until(`the proxy routes to gateway ${host.name} again`, () => proxy.routedTo(host.name, restored) > 0, 10_000);
      // Ready is each subgraph's own database check; a pooled connection cut with the database may still
      // fail a first lookup after it (503 DATABASE_UNAVAILABLE with Retry-After, which clients retry). The
      // metered lookups below must spend the budget exactly, so the gateway first answers an unmetered one.
      await until(
        `gateway ${host.name} answers lookups again`,
        async () => (await post(host.origin, reader, LOOKUP, { i: anna.identifier })).kind === 'ok',
        10_000,
      );
      const between = (from: number, to: number) => (t: { backend: string; at: number }) => t.backend === host.name && t.at >= from && t.at < to;
      restarts.push({
        host: host.name,
        gatewayStopMs: gatewayStopped - stopped,
        gatewayStartMs: listening - gatewayStopped,
        // The signal takes a moment to arrive: the 300 ms grace is not "not ready" yet.
        routedWhileNotReady: proxy.routes.filter(between(stopped + 300, restored)).length,
        // The proxy's checks saw the gateway answer 503 while it listened unready.
        saw503: proxy.transitions.filter(between(gatewayStopped, restored)).some((t) => t.status === 503),
      });
      // The rest of the budget, at once (its window is 60 s from the first lookup), on both gateways.
      if (host.name === 'b') for (const h of [...hosts, ...hosts, ...hosts, ...hosts]) meteredStatuses.push(await meteredLookup(h, metered));
      // Subscribers of the stopped gateway reconnected elsewhere and resumed: they have every event so far.
      await caughtUp(`subscribers caught up after restarting gateway ${host.name}`);
    }
    await sleep(1_000);
    running = false;
    await traffic;
    await caughtUp('subscribers caught up at the end');
    const committed = await committedAfter(start);
    const ended = [...ends];
    for (const c of clients) await c.dispose();

    const report = {
      wallMs: Date.now() - began,
      requests: tally.requests,
      writes: tally.writes,
      queries: tally.queries,
      retries: tally.retries,
      retryReasons: Object.fromEntries(tally.retryReasons),
      events: committed.length,
      subscribers: SUBSCRIBERS,
      reconnects: reconnects - SUBSCRIBERS,
      routes: Object.fromEntries(hosts.map((h) => [h.name, proxy.routedTo(h.name)])),
      unrouted: proxy.unrouted,
      restarts,
      metered: meteredStatuses,
    };
    console.log(`cross-host: ${JSON.stringify(report)}`);

    // No request failed that a client could not retry, and every retried one succeeded.
    expect(tally.failures).toEqual([]);
    expect(tally.writes).toBeGreaterThan(20);
    expect(tally.queries).toBeGreaterThan(20);
    // Readiness: no gateway answered a request while not ready (its subgraph unavailable), and the proxy
    // routed nothing to a gateway from its stop (plus the signal's way) until its subgraph's database was back.
    expect(tally.fromUnreadyGateway).toBe(0);
    expect(proxy.routes.every((r) => r.ready)).toBe(true);
    for (const r of restarts) expect(r).toMatchObject({ routedWhileNotReady: 0, saw503: true });
    // Both gateways served traffic.
    for (const h of hosts) expect(proxy.routedTo(h.name)).toBeGreaterThan(10);
    // Every subscriber received every committed event exactly once, in the log's order, and never ended.
    expect(ended).toEqual([]);
    expect(committed.length).toBeGreaterThan(20);
    for (const r of received) expect(r).toEqual(committed);
    // Subscribers did move: the gateway each was on stopped under it at least once per subscriber overall.
    expect(report.reconnects).toBeGreaterThanOrEqual(SUBSCRIBERS);
    // One budget across both gateways and a restart: ten lookups, on whichever gateway, then refusals.
    expect(meteredStatuses).toEqual([...Array(10).fill(200), 429, 429]);
  }, 120_000);
});
