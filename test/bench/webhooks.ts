/**
 * `npx tsx test/bench/webhooks.ts [--events 20000] [--subscriptions 1]`: webhook delivery throughput to a
 * local receiver (README "Delivery" → "Webhooks").
 *
 * The whole stack in this process (five subgraphs and a gateway with its delivery worker), a Standard
 * Webhooks receiver on 127.0.0.1 that verifies every message with the standardwebhooks package, and a log
 * of `--events` events (about no person, so nothing is masked) written BEFORE the webhooks are set with
 * `after:` at its start: what is timed is draining a backlog — claim, read through the pipeline as the
 * owner, sign, POST, verify, complete — from the set to the receiver holding every event. Also the process's
 * CPU per event (everything, receiver included, runs in it). With DATABASE_URL a fresh database is made on
 * that server (and dropped); without, in-memory PGlite.
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { appendChangeEvents } from '../../db/outbox.js';
import { openDatabase } from '../../db/client.js';
import { startStack } from '../../launch/stack.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { setLogLevel } from '../../kernel/log.js';
import { readSupergraph } from '../../schema/compose.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, subscriptions: { type: 'string', default: '1' } } });
const EVENTS = Number(values.events);
const SUBSCRIPTIONS = Number(values.subscriptions);
setLogLevel('warn');

const serverUrl = process.env.DATABASE_URL;
const benchDb = `folkreg_webhook_bench_${process.pid}`;
let admin: postgres.Sql | null = null;
let url: string | undefined;
if (serverUrl) {
  admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${benchDb}`);
  const u = new URL(serverUrl);
  u.pathname = `/${benchDb}`;
  url = u.toString();
}
const database = await openDatabase(url ? { url, maxConnections: 10 } : { inMemory: true });
await database.migrate();
const issuer = await ephemeralDevIssuer();
const stack = await startStack({
  db: database.db,
  secrets: await ephemeralSecrets(),
  supergraphSdl: readSupergraph(),
  auth: issuer.authOptions,
  port: 0,
  loadShedding: false,
  limits: { config: parseLimitsConfig({ defaults: { costPerMinute: 0 } }) },
  webhooks: { allowHttp: true, allowPrivateAddresses: true },
});
const receiver = new WebhookReceiver();
await receiver.start();
const token = await issuer.issue({ scope: 'folkreg:read events:subscribe', sub: 'bench', client: 'bench' });
const gql = async (query: string, variables?: Record<string, unknown>) => {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

try {
  // One event first, so the backlog starts after a cursor (a webhook set without one starts at the head).
  await database.db.transaction((tx) => appendChangeEvents(tx, [{ type: 'MOVE', occurredAt: new Date(Date.UTC(2024, 0, 1)) }]));
  const start = (await gql('{ changeEventsHead }')).changeEventsHead as string;
  for (let i = 0; i < EVENTS; i += 500) {
    const n = Math.min(500, EVENTS - i);
    await database.db.transaction((tx) =>
      appendChangeEvents(
        tx,
        Array.from({ length: n }, (_, k) => ({
          type: 'MOVE' as const,
          occurredAt: new Date(Date.UTC(2025, 0, 1) + (i + k) * 1000),
          municipalityAfter: '0180',
        })),
      ),
    );
  }
  const paths: string[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let s = 0; s < SUBSCRIPTIONS; s++) {
    const { id } = (await gql('mutation { createEventSubscription(input: { catchAll: true }) { id } }')).createEventSubscription;
    const path = `/bench-${s}`;
    const set = (
      await gql('mutation($id: ID!, $e: String!, $a: String) { setEventSubscriptionWebhook(subscriptionId: $id, endpoint: $e, after: $a) { secret } }', {
        id,
        e: receiver.url(path),
        a: start,
      })
    ).setEventSubscriptionWebhook;
    receiver.secret(path, set.secret);
    paths.push(path);
  }
  const bound = setTimeout(() => {
    console.error(`not delivered within 10 minutes: ${paths.map((p) => receiver.events(p).length).join(', ')} of ${EVENTS}`);
    process.exit(1);
  }, 600_000);
  await receiver.until(() => paths.every((p) => receiver.events(p).length >= EVENTS));
  clearTimeout(bound);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const messages = receiver.received.length;
  const unverified = receiver.received.filter((r) => !r.verified).length;
  const total = EVENTS * SUBSCRIPTIONS;
  console.log(
    JSON.stringify(
      {
        database: url ? 'postgres' : 'pglite (in memory)',
        events: EVENTS,
        subscriptions: SUBSCRIPTIONS,
        seconds: Number(seconds.toFixed(2)),
        eventsPerSecond: Math.round(total / seconds),
        messages,
        eventsPerMessage: Number((total / messages).toFixed(1)),
        unverified,
        cpuMsPerEvent: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
      },
      null,
      2,
    ),
  );
} finally {
  await receiver.stop();
  await stack.close();
  await database.close();
  if (admin) {
    await admin.unsafe(`drop database if exists ${benchDb} with (force)`);
    await admin.end();
  }
}
