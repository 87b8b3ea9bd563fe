import { sql } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { selectRows, type Db } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { canonicalIdentifier } from '../../kernel/event-filter.js';
import { percentile, processCpuMs } from './load.js';
import type { GatewaySubscriptionStats, SubgraphStats } from './serve.js';

/**
 * Websocket subscribers on one folkreg gateway (its own process), with the runner committing change
 * events straight to the database at a steady rate. Latency is commit-to-client: from the writer's
 * transaction returning to the client's `next`, both in this process. Every phase is bounded in time.
 *
 * - broadcast: every subscriber has the same caller and document, so the gateway holds one feed and
 *   every subscriber gets every event (N × rate websocket messages a second).
 * - targeted: every subscriber follows one person of its own (`personIdentifiers: [$who]`), so each has
 *   a feed of its own; events are committed for followed persons in turn, each expected at exactly one
 *   subscriber.
 */
export interface SubscriptionPhase {
  shape: 'broadcast' | 'targeted';
  subscribers: number;
  eventsPerSecond: number;
  seconds: number;
  /**
   * Events committed at the same rate before the measured ones, and delivered, so a fresh gateway has
   * planned its batch queries (a long-running gateway has). @default 0
   */
  warmupSeconds?: number;
}

export interface SubscriptionMeasurement extends SubscriptionPhase {
  /** Upstream feeds the gateway held for them. */
  feeds: number;
  /** Seconds from the first socket opening to the last subscription registered at the gateway. */
  subscribeSeconds: number;
  events: number;
  /** Deliveries expected (each matching subscriber × event), made, and made to a subscriber that should not get it. */
  expected: number;
  delivered: number;
  unexpected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * Gateway VmRSS and JS heap growth from no subscribers to all subscribed and idle (after a full GC),
   * in KB per subscriber, on a gateway process started for this phase alone.
   */
  gatewayRssKbPerSubscriber: number;
  gatewayHeapKbPerSubscriber: number;
  /** Gateway CPU time, feed batches read and pipeline runs reading them, per committed event, while events flowed. */
  gatewayCpuMsPerEvent: number;
  batchQueriesPerEvent: number;
  batchRunsPerEvent: number;
  /** Requests the subgraphs served and SQL statements they ran, per committed event, while events flowed. */
  subgraphFetchesPerEvent: number;
  sqlStatementsPerEvent: number;
  subgraphsCpuMsPerEvent: number;
  tapReadsPerEvent: number;
}

export interface SubscriptionBench {
  url: string;
  token: string;
  gatewayPid: number;
  db: Db;
  gatewayStats(): Promise<GatewaySubscriptionStats>;
  subgraphStats(): Promise<SubgraphStats>;
  subgraphCpu(): number;
  log(message: string): void;
}

const SELECTION = 'type identifier occurredAt person { name { givenNames } }';
const FOLLOW = `subscription Follow($who: [String!]) { changeEvents(filter: { personIdentifiers: $who }) { ${SELECTION} } }`;

interface Followed {
  id: string;
  identifier: string;
  birthDate: string | null;
}

/** Persons of the seeded population to follow, in a fixed order (identifiers in canonical form). */
async function followedPersons(db: Db, n: number): Promise<Followed[]> {
  const rows = await selectRows<{ id: string; value: string; birth_date: string | null }>(
    db,
    sql`select distinct on (p.id) p.id, i.value, p.birth_date::text as birth_date from persons p join person_identifiers i on i.person_id = p.id
        where i.kind = 'PERSONAL_IDENTITY_NUMBER' order by p.id, i.id desc limit ${n}`,
  );
  if (rows.length === 0) throw new Error('The database has no person with a personnummer to follow; is it seeded?');
  return rows.map((r) => {
    const parsed = canonicalIdentifier(r.value);
    if ('reason' in parsed) throw new Error(`Seeded identifier ${r.value}: ${parsed.message}`);
    return { id: r.id, identifier: parsed.canonical, birthDate: r.birth_date };
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Polls the gateway (bounded) until `test` holds; false when `ms` pass first. */
async function until(bench: SubscriptionBench, test: (s: GatewaySubscriptionStats) => boolean, ms: number): Promise<GatewaySubscriptionStats | null> {
  const deadline = performance.now() + ms;
  for (;;) {
    const stats = await bench.gatewayStats();
    if (test(stats)) return stats;
    if (performance.now() > deadline) return null;
    await sleep(200);
  }
}

export async function measureSubscriptions(bench: SubscriptionBench, phase: SubscriptionPhase): Promise<SubscriptionMeasurement> {
  const { shape, subscribers: n, eventsPerSecond, seconds } = phase;
  const total = Math.max(1, Math.round(eventsPerSecond * seconds));
  // Targeted: subscriber i follows persons[i], and events go to the first `total` of them in turn (the
  // rest stay quiet). Broadcast: everyone follows persons[0], and every event is theirs.
  const persons = await followedPersons(bench.db, shape === 'broadcast' ? 1 : n);
  const withEvents = persons.slice(0, Math.min(persons.length, total));
  // A small population has fewer persons than subscribers: then several follow one person (and share a feed).
  if (persons.length < (shape === 'broadcast' ? 1 : n)) bench.log(`${shape} ${n}: only ${persons.length} persons to follow; subscribers share them`);
  const whom = (i: number) => (shape === 'broadcast' ? persons[0]! : persons[i % persons.length]!);

  const idle = await bench.gatewayStats();
  const started = performance.now();
  /** Receive times per subscriber, in order; the k-th belongs to the k-th event of its person. */
  const received: number[][] = Array.from({ length: n }, () => []);
  const identifiers: string[][] = Array.from({ length: n }, () => []);
  const clients: Client[] = [];
  let failures = 0;
  const OPENING = 200;
  for (let i = 0; i < n; i += OPENING) {
    const batch = Array.from({ length: Math.min(OPENING, n - i) }, (_, j) => i + j);
    await Promise.all(
      batch.map(
        (k) =>
          new Promise<void>((connected) => {
            const client = createClient({
              url: bench.url.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: { authorization: bench.token },
              retryAttempts: 0,
              lazy: false,
              on: { connected: () => connected(), closed: () => connected() },
            });
            clients.push(client);
            client.subscribe(
              { query: FOLLOW, variables: { who: [whom(k).identifier] } },
              {
                next: (r) => {
                  received[k]!.push(performance.now());
                  identifiers[k]!.push(String((r.data as { changeEvents?: { identifier?: unknown } } | undefined)?.changeEvents?.identifier));
                },
                error: () => void failures++,
                complete: () => {},
              },
            );
          }),
      ),
    );
  }
  const subscribed = await until(bench, (s) => s.subscribers >= idle.subscribers + n, 180_000);
  if (!subscribed) throw new Error(`Only ${(await bench.gatewayStats()).subscribers - idle.subscribers} of ${n} subscriptions registered within 180 s`);
  const subscribeSeconds = (performance.now() - started) / 1000;
  const loaded = await bench.gatewayStats();

  // Steady rate: event i is committed at start + i / rate (for persons[i mod persons]).
  const commitAtRate = async (events: number, commits: Map<string, number[]>) => {
    const t0 = performance.now();
    for (let i = 0; i < events; i++) {
      const wait = t0 + (i * 1000) / eventsPerSecond - performance.now();
      if (wait > 0) await sleep(wait);
      const person = withEvents[i % withEvents.length]!;
      await bench.db.transaction((tx) =>
        appendChangeEvents(tx, [{ type: 'MOVE', personId: person.id, identifier: person.identifier, birthDate: person.birthDate }]),
      );
      const list = commits.get(person.identifier) ?? [];
      list.push(performance.now());
      commits.set(person.identifier, list);
    }
  };
  const expectedIn = (commits: Map<string, number[]>) =>
    Array.from({ length: n }, (_, i) => commits.get(whom(i).identifier)?.length ?? 0).reduce((a, b) => a + b, 0);
  const count = () => received.reduce((a, r) => a + r.length, 0);
  const warmup = Math.round(eventsPerSecond * (phase.warmupSeconds ?? 0));
  if (warmup > 0) {
    const warm = new Map<string, number[]>();
    await commitAtRate(warmup, warm);
    const warmEnd = performance.now() + 30_000;
    while (count() < expectedIn(warm) && performance.now() < warmEnd && failures === 0) await sleep(50);
    if (count() !== expectedIn(warm)) bench.log(`${shape} ${n}: warm-up delivered ${count()} of ${expectedIn(warm)}`);
    // Measured from here: what the warm-up delivered is forgotten.
    for (const list of [...received, ...identifiers]) list.length = 0;
  }

  const commits = new Map<string, number[]>();
  const before = {
    cpu: processCpuMs(bench.gatewayPid),
    stats: await bench.gatewayStats(),
    subgraphs: await bench.subgraphStats(),
    subgraphCpu: bench.subgraphCpu(),
  };
  await commitAtRate(total, commits);
  const expected = expectedIn(commits);
  // Bounded drain: delivered at most 30 s after the last commit, or counted as lost.
  const drainEnd = performance.now() + 30_000;
  while (count() < expected && performance.now() < drainEnd && failures === 0) await sleep(50);
  const after = {
    cpu: processCpuMs(bench.gatewayPid),
    stats: await bench.gatewayStats(),
    subgraphs: await bench.subgraphStats(),
    subgraphCpu: bench.subgraphCpu(),
  };

  const latencies: number[] = [];
  let delivered = 0;
  let unexpected = 0;
  for (let i = 0; i < n; i++) {
    const own = whom(i).identifier;
    const times = commits.get(own) ?? [];
    for (const [k, at] of received[i]!.entries()) {
      if (identifiers[i]![k] !== own || k >= times.length) {
        unexpected++;
        continue;
      }
      delivered++;
      latencies.push(at - times[k]!);
    }
  }
  latencies.sort((a, b) => a - b);
  await Promise.all(clients.map((c) => c.dispose()));
  await until(bench, (s) => s.subscribers <= idle.subscribers, 60_000);
  if (failures) bench.log(`${shape} ${n}: ${failures} subscriptions ended with an error`);
  const perSubscriber = (bytes: number) => bytes / 1024 / n;
  return {
    ...phase,
    feeds: loaded.feeds - idle.feeds,
    subscribeSeconds,
    events: total,
    expected,
    delivered,
    unexpected: unexpected + failures,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? NaN,
    gatewayRssKbPerSubscriber: perSubscriber(loaded.rssBytes - idle.rssBytes),
    gatewayHeapKbPerSubscriber: perSubscriber(loaded.heapUsedBytes - idle.heapUsedBytes),
    gatewayCpuMsPerEvent: (after.cpu - before.cpu) / total,
    batchQueriesPerEvent: (after.stats.batches - before.stats.batches) / total,
    batchRunsPerEvent: (after.stats.batchRuns - before.stats.batchRuns) / total,
    subgraphFetchesPerEvent: (after.subgraphs.fetches - before.subgraphs.fetches) / total,
    sqlStatementsPerEvent: (after.subgraphs.sqlStatements - before.subgraphs.sqlStatements) / total,
    subgraphsCpuMsPerEvent: (after.subgraphCpu - before.subgraphCpu) / total,
    tapReadsPerEvent: (after.stats.tapReads - before.stats.tapReads) / total,
  };
}
