/**
 * Websocket subscription measurements (not a test): `npx tsx test/bench/subscriptions.ts`.
 * Embedded PGlite by default; DATABASE_URL points it at a Postgres database (use a copy, never a shared one).
 *
 * 1. Latency: one subscriber with a cross-subgraph selection; a writer commits one event every
 *    1000/RATE ms for SECONDS; commit-to-client latency p50/p99 (commit = the writer's transaction returned).
 * 2. Capacity: CLIENTS websocket clients, each with its own socket and the same live subscription (one
 *    shared feed), then one event fanned out to all; the process's RSS/heap growth per socket. Clients run in
 *    this same process, so memory per socket is an upper bound for the gateway.
 * Bounded: each phase has a deadline and the script exits by itself.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { openDatabase } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { startStack } from '../../gateway/stack.js';
import { readSupergraph } from '../../schema/compose.js';
import { ephemeralSecrets } from '../../subgraphs/shared/secrets.js';
import { insertPerson } from '../support/fixtures.js';

const RATE = Number(process.env.RATE ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 15);
const CLIENTS = (process.env.CLIENTS ?? '250,500,1000,2000').split(',').map(Number);

const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { inMemory: true });
await database.migrate();
const db = database.db;
const person = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
const issuer = await ephemeralDevIssuer();
const stack = await startStack({ db, secrets: await ephemeralSecrets(), supergraphSdl: readSupergraph(), auth: issuer.authOptions, port: 0 });
const url = stack.gateway.url.replace(/^http/, 'ws');
const token = await issuer.issue({ sub: 'bench', ttlSeconds: 3600 });
const write = () => db.transaction((tx) => appendChangeEvents(tx, [{ type: 'MOVE', personId: person.id }]));
await write();

function client(): Client {
  return createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
}
const cpu = () => process.cpuUsage();
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// 1. Latency at a steady rate.
{
  const c = client();
  const received: number[] = [];
  let resolveAll!: () => void;
  const all = new Promise<void>((ok) => (resolveAll = ok));
  const total = RATE * SECONDS;
  c.subscribe(
    { query: `subscription { changeEvents { cursor occurredAt person { name { givenNames } address { municipalityCode } familyRelations(first: 5) { totalCount } } } }` },
    { next: () => (received.push(performance.now()), received.length === total && resolveAll()), error: (e) => console.error('subscription error', e), complete: () => {} },
  );
  await stack.gateway.subscriptions.until((s) => s.subscribers >= 1);
  const committed: number[] = [];
  const before = cpu();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    await write();
    committed.push(performance.now());
  }
  await Promise.race([all, new Promise((ok) => setTimeout(ok, 30_000))]);
  const used = cpu();
  const latencies = received.map((t, i) => t - committed[i]!).sort((a, b) => a - b);
  console.log(
    `latency: ${RATE} events/s for ${SECONDS} s, ${received.length}/${total} delivered; commit-to-client p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ` +
      `process CPU ${((used.user - before.user + used.system - before.system) / 1000 / received.length).toFixed(2)} ms per event (gateway + 5 subgraphs + database + client in one process)`,
  );
  await c.dispose();
}

// 2. Concurrent sockets on one gateway.
{
  const clients: Client[] = [];
  const query = `subscription { changeEvents { cursor type person { name { givenNames } } } }`;
  global.gc?.();
  const base = process.memoryUsage();
  for (const target of CLIENTS) {
    let got = 0;
    let onAll!: () => void;
    const everyone = new Promise<void>((ok) => (onAll = ok));
    const deadline = Date.now() + 60_000;
    while (clients.length < target && Date.now() < deadline) {
      const batch = Array.from({ length: Math.min(100, target - clients.length) }, () => client());
      clients.push(...batch);
    }
    const counters = clients.map((c) => {
      let seen = false;
      return c.subscribe({ query }, { next: () => { if (!seen) { seen = true; if (++got === clients.length) onAll(); } }, error: () => {}, complete: () => {} });
    });
    const connected = await Promise.race([stack.gateway.subscriptions.until((s) => s.subscribers >= target).then(() => true), new Promise<boolean>((ok) => setTimeout(() => ok(false), 60_000))]);
    if (!connected) {
      console.log(`capacity: stopped at ${stack.gateway.subscriptions.stats().subscribers} of ${target} subscribers within 60 s`);
      break;
    }
    global.gc?.();
    const mem = process.memoryUsage();
    const t0 = performance.now();
    await write();
    const fanned = await Promise.race([everyone.then(() => true), new Promise<boolean>((ok) => setTimeout(() => ok(false), 30_000))]);
    const stats = stack.gateway.subscriptions.stats();
    console.log(
      `capacity: ${target} sockets (${stats.feeds.length} shared feed${stats.feeds.length === 1 ? '' : 's'}); RSS ${mb(mem.rss)} MB (+${mb(mem.rss - base.rss)}), heap ${mb(mem.heapUsed)} MB (+${mb(mem.heapUsed - base.heapUsed)}), ` +
        `~${((mem.rss - base.rss) / target / 1024).toFixed(1)} kB RSS per socket incl. its client; one event to all ${fanned ? `in ${(performance.now() - t0).toFixed(0)} ms` : 'NOT within 30 s'}`,
    );
    for (const unsubscribe of counters) unsubscribe();
    if (!fanned) break;
  }
  await Promise.all(clients.map((c) => c.dispose()));
}

await stack.close();
await database.close();
process.exit(0);
