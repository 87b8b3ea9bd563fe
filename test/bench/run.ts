/**
 * `npm run bench`: folkreg beside Hive Gateway and beside its own ceiling, in one run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench [-- --persons 1000000]   (the server; a copy per run)
 *   npm run bench                          (no DATABASE_URL, or --embedded: PGlite in ./.data-bench/<population>)
 *   npm run bench -- --smoke               (seconds: tiny population; DATABASE_URL or in-memory PGlite)
 *   npm run bench -- --only subscriptions  (or --only http, --only overload: one part alone)
 *   npm run bench -- --scenarios person,search   (HTTP scenarios whose names hold these words)
 *   npm run bench -- --only subscriptions --phases targeted-10000   (subscription phases by shape-subscribers)
 *   BENCH_CPU_PROF=/tmp/prof npm run bench …      (a V8 CPU profile per process, written when it stops)
 *   BENCH_SUBS_MAX_GROUP=1 npm run bench …        (subscription batches read one pipeline run each, for an A/B)
 *
 * Seeds the population once per size and seed version and reuses it (`seeded.ts`: on Postgres a template
 * database, copied for each run; embedded, a data directory), starts the five subgraphs
 * and four gateways — folkreg, folkreg with masking and audit off, Hive Gateway, Hive Gateway with its
 * Rust query planner — each in its own
 * process, and puts each scenario through every target in alternating rounds at fixed concurrency, so
 * that what else the machine does weighs on all alike. Writes test/bench/results/<time>.json and
 * latest.md (not in smoke mode) and prints the table. Every phase is bounded in time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client.js';
import { countPersons, seedPopulation } from '../../db/seed/index.js';
import { readSupergraph } from '../../schema/compose.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { benchKeys } from './keys.js';
import { load, ownCpuMs, percentile, processCpuMs } from './load.js';
import { formatReport, type Measurement, type Report, type TargetName } from './report.js';
import { firstError, personLookup, scenarios } from './scenarios.js';
import { measureOverload, type OverloadMeasurement } from './overload.js';
import { serveSubgraphs, type GatewaySubscriptionStats, type ServeConfig, type ServeMessage, type SubgraphStats } from './serve.js';
import { closeOnce, seededDatabase, type SeededDatabase } from './seeded.js';
import { measureSubscriptions, type SubscriptionMeasurement, type SubscriptionPhase } from './subscribers.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string' },
    embedded: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: './.data-bench' },
    smoke: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    only: { type: 'string' },
    /** Comma-separated words naming HTTP scenarios (e.g. `person,search`); all by default. */
    scenarios: { type: 'string' },
    /** Comma-separated subscription phases as `<shape>-<subscribers>` (e.g. `targeted-10000`); all by default. */
    phases: { type: 'string' },
  },
});
const only = values.only;
if (only !== undefined && only !== 'http' && only !== 'subscriptions' && only !== 'overload')
  throw new Error(`--only takes http, subscriptions or overload; got '${only}'.`);
const runs = (part: 'http' | 'subscriptions' | 'overload') => only === undefined || only === part;
const smoke = values.smoke!;
const persons = Number(values.persons ?? (smoke ? 300 : 100_000));
/** Measured seconds per target and scenario, split over `rounds` alternating rounds. */
const seconds = Number(values.seconds ?? (smoke ? 0.5 : 10));
const rounds = Number(values.rounds ?? (smoke ? 1 : 2));
const warmupSeconds = Number(values.warmup ?? (smoke ? 0.2 : 3));
const concurrency = Number(values.concurrency ?? (smoke ? 2 : 16));
const url = values.embedded ? undefined : process.env.DATABASE_URL;
/**
 * The issue's shapes: one shared feed fanned out to every subscriber (at a rate the clients, on this same
 * machine, can take in), and one feed per subscriber at 100 events/s. Smoke: a few seconds, 20 subscribers.
 */
const subscriptionSeconds = smoke ? 1 : Math.max(2, seconds);
const subscriptionPhases: SubscriptionPhase[] = smoke
  ? [
      { shape: 'broadcast', subscribers: 20, eventsPerSecond: 10, seconds: subscriptionSeconds },
      { shape: 'targeted', subscribers: 20, eventsPerSecond: 20, seconds: subscriptionSeconds },
    ]
  : [
      { shape: 'broadcast', subscribers: 1_000, eventsPerSecond: 10, seconds: subscriptionSeconds },
      { shape: 'broadcast', subscribers: 10_000, eventsPerSecond: 1, seconds: subscriptionSeconds },
      { shape: 'targeted', subscribers: 1_000, eventsPerSecond: 100, seconds: subscriptionSeconds },
      { shape: 'targeted', subscribers: 10_000, eventsPerSecond: 100, seconds: subscriptionSeconds },
    ];
const phaseNames = values.phases?.split(',').map((p) => p.trim());
// Each phase starts a fresh gateway: a warm-up (the HTTP scenarios' length) lets it plan its batch queries first.
for (const phase of subscriptionPhases) phase.warmupSeconds = warmupSeconds;
const chosenPhases = subscriptionPhases.filter((p) => !phaseNames || phaseNames.includes(`${p.shape}-${p.subscribers}`));
if (chosenPhases.length === 0)
  throw new Error(`--phases ${values.phases} names none of: ${subscriptionPhases.map((p) => `${p.shape}-${p.subscribers}`).join(', ')}`);
// Without DATABASE_URL the run uses the embedded database (./.data-bench), as `npm start` does: it works on a fresh clone.

/** The HTTP scenarios' gateways, each in a process of its own. */
const GATEWAY_ROLES = ['folkreg', 'folkreg-unmasked', 'hive', 'hive-rust'] as const;

const children: ChildProcess[] = [];
/** Asks each child to stop (so it can write its CPU profile), and kills what has not exited after 10 s. */
async function stopChildren(): Promise<void> {
  await Promise.all(children.map(stopChild));
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    const kill = setTimeout(() => child.kill(), 10_000);
    child.once('exit', () => (clearTimeout(kill), done()));
    child.send('stop');
  });
}
process.on('exit', () => children.forEach((c) => c.kill()));

function log(message: string) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Writes a child's configuration to a temporary file (removed when the bench exits) and returns its path. */
function configFile(config: ServeConfig): string {
  const dir = mkdtempSync(join(tmpdir(), 'folkreg-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${config.role}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Starts one serve.ts process and waits (bounded) for its first message. */
function spawn(config: ServeConfig): Promise<{ child: ChildProcess; ready: ServeMessage }> {
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there when it stops (profile before optimising).
  // One directory per role: every thread (tsx's loader has its own) writes a file of its own.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${config.role}`] : [];
  const child = fork(new URL('./serve.ts', import.meta.url), [config.role], {
    // --expose-gc: a gateway reads its memory after a full collection (subscription phase).
    execArgv: ['--expose-gc', '--import', 'tsx', ...profile],
    // Every server runs as in production (graphql-js, for one, skips its development checks).
    // The configuration (the supergraph SDL among it, 120 KB) goes in a file: one environment variable may
    // hold at most 128 KiB on Linux (spawn fails with E2BIG past it).
    env: { ...process.env, NODE_ENV: 'production', BENCH_CONFIG_FILE: configFile(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    // 180 s: three gateways and five subgraphs start at once, and on a shared machine (load average 23 on
    // 2 cores, 2026-12-02) a gateway took over 60 s to load and plan.
    const timer = setTimeout(() => reject(new Error(`${config.role} did not start within 180 s`)), 180_000);
    child.once('message', (ready) => {
      clearTimeout(timer);
      resolve({ child, ready: ready as ServeMessage });
    });
    child.once('exit', (code) => reject(new Error(`${config.role} exited with ${code} before starting`)));
  });
}

/**
 * Smoke: the database of DATABASE_URL (CI makes a fresh one) or an in-memory PGlite, seeded with a few
 * hundred persons, as it always was. A full run: the seeded population of `seeded.ts`, seeded once per
 * persons and seed version and reused (a copy of a template database on Postgres).
 */
async function prepareDatabase(): Promise<SeededDatabase> {
  if (!smoke) return seededDatabase({ url, dataDir: values['data-dir']!, persons, seed: 1, log });
  const database = await openDatabase(url ? { url, maxConnections: 20, timeouts: { statementTimeoutMs: 0 } } : { inMemory: true });
  await database.migrate();
  const existing = await countPersons(database.db);
  if (existing === 0) {
    log(`seeding ${persons.toLocaleString('en')} persons`);
    await seedPopulation(database.db, { persons, seed: 1 });
  } else if (existing !== persons) {
    log(`reusing the database's ${existing.toLocaleString('en')} persons (asked for ${persons.toLocaleString('en')})`);
  }
  return { database, url, dispose: closeOnce(database) };
}

async function main() {
  const started = new Date();
  const seeded = (preparedDatabase = await prepareDatabase());
  const { database } = seeded;
  const databaseUrl = seeded.url;
  const personCount = await countPersons(database.db);
  const wanted = values.scenarios?.split(',').map((w) => w.trim().toLowerCase());
  const chosen = scenarios.filter((s) => !wanted || wanted.some((w) => s.name.toLowerCase().includes(w)));
  if (chosen.length === 0) throw new Error(`--scenarios ${values.scenarios} names none of: ${scenarios.map((s) => s.name).join('; ')}`);
  const prepared = await Promise.all(chosen.map((scenario) => scenario.prepare(database.db)));
  const { issuer, childConfig, caller, scenarioContext } = await benchKeys(databaseUrl);
  const base = { ...childConfig, supergraphSdl: readSupergraph() };

  // The subgraphs: their own process on Postgres; in this one on PGlite, which lives in one process.
  let subgraphUrls: Record<SubgraphName, string>;
  let subgraphStats: () => Promise<SubgraphStats>;
  let subgraphCpu: () => number;
  let closeSubgraphs = async () => {};
  if (databaseUrl) {
    const { child, ready } = await spawn({ ...base, role: 'subgraphs' });
    subgraphUrls = (ready as { urls: Record<SubgraphName, string> }).urls;
    subgraphStats = () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { stats: SubgraphStats }).stats));
        child.send('stats');
      });
    subgraphCpu = () => processCpuMs(child.pid!);
  } else {
    const running = await serveSubgraphs(database, { ...base, role: 'subgraphs' });
    subgraphUrls = running.urls;
    subgraphStats = async () => running.stats();
    subgraphCpu = ownCpuMs;
    closeSubgraphs = async () => void (await running.close());
  }

  // The HTTP scenarios' gateways; the subscription phases start a gateway of their own each (below).
  // One after another: starting is CPU-bound on 2 cores either way, and each start stays within its bound.
  const gateways: Awaited<ReturnType<typeof spawn>>[] = [];
  for (const role of runs('http') ? GATEWAY_ROLES : []) gateways.push(await spawn({ ...base, role, subgraphUrls, benchCaller: caller }));
  const gatewayOf = (role: TargetName) => {
    const i = (GATEWAY_ROLES as readonly TargetName[]).indexOf(role);
    return { url: (gateways[i]!.ready as { url: string }).url, pid: gateways[i]!.child.pid! };
  };
  log(`stack up: ${personCount.toLocaleString('en')} persons on ${databaseUrl ? 'Postgres' : 'PGlite'}`);

  const context = await scenarioContext(subgraphUrls);

  const measurements: Measurement[] = [];
  for (const [index, scenario] of !runs('http') ? [] : chosen.entries()) {
    const targets = scenario.targets;
    const totals = new Map(
      targets.map((t) => [
        t,
        { requests: 0, errors: 0, seconds: 0, latencies: [] as number[], gatewayCpu: 0, subgraphCpu: 0, clientCpu: 0, fetches: 0, sql: 0 },
      ]),
    );
    const sendFor = (target: TargetName) => scenario.send(target, target === 'direct' ? '' : gatewayOf(target).url, context, prepared[index]);
    for (const target of targets) await load(sendFor(target), concurrency, warmupSeconds * 1000);
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const pid = target === 'direct' ? undefined : gatewayOf(target).pid;
        const before = { gateway: pid ? processCpuMs(pid) : 0, subgraphs: subgraphCpu(), client: ownCpuMs(), stats: await subgraphStats() };
        const result = await load(sendFor(target), concurrency, (seconds * 1000) / rounds);
        const stats = await subgraphStats();
        const sum = totals.get(target)!;
        sum.requests += result.requests;
        sum.errors += result.errors;
        sum.seconds += result.seconds;
        sum.latencies.push(...result.latenciesMs);
        sum.gatewayCpu += pid ? processCpuMs(pid) - before.gateway : 0;
        sum.subgraphCpu += subgraphCpu() - before.subgraphs;
        sum.clientCpu += ownCpuMs() - before.client;
        sum.fetches += stats.fetches - before.stats.fetches;
        sum.sql += stats.sqlStatements - before.stats.sqlStatements;
      }
    }
    for (const [target, sum] of totals) {
      const sorted = sum.latencies.sort((a, b) => a - b);
      const per = (x: number) => (sum.requests ? x / sum.requests : NaN);
      measurements.push({
        scenario: scenario.name,
        target,
        requests: sum.requests,
        errors: sum.errors,
        throughput: sum.requests / sum.seconds,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        gatewayCpuMsPerRequest: target === 'direct' ? null : per(sum.gatewayCpu),
        subgraphsCpuMsPerRequest: per(sum.subgraphCpu),
        clientCpuMsPerRequest: per(sum.clientCpu),
        subgraphFetchesPerRequest: per(sum.fetches),
        sqlStatementsPerRequest: per(sum.sql),
      });
    }
    log(`${scenario.name}: done`);
  }

  const subscriptions: SubscriptionMeasurement[] = [];
  if (runs('subscriptions')) {
    for (const phase of chosenPhases) {
      // A fresh folkreg gateway per phase: its memory and CPU are this phase's alone (the sockets of the
      // phase before, and the memory they free, weigh on nothing after it).
      const { child: folkreg, ready } = await spawn({ ...base, role: 'folkreg', subgraphUrls, benchCaller: caller });
      const bench = {
        url: (ready as { url: string }).url,
        token: context.clientToken,
        gatewayPid: folkreg.pid!,
        db: database.db,
        log,
        subgraphStats,
        subgraphCpu,
        gatewayStats: () =>
          new Promise<GatewaySubscriptionStats>((resolve) => {
            const answer = (m: unknown) => {
              if (typeof m !== 'object' || m === null || !('subscriptions' in m)) return;
              folkreg.off('message', answer);
              resolve((m as { subscriptions: GatewaySubscriptionStats }).subscriptions);
            };
            folkreg.on('message', answer);
            folkreg.send('subscriptions');
          }),
      };
      const measured = await measureSubscriptions(bench, phase);
      await stopChild(folkreg);
      subscriptions.push(measured);
      log(`subscriptions, ${phase.shape} ${phase.subscribers}: ${measured.delivered}/${measured.expected} delivered, p99 ${measured.p99Ms.toFixed(0)} ms`);
    }
  }

  let overload: OverloadMeasurement | undefined;
  if (runs('overload')) {
    // The product's default limits on a gateway of its own; person lookups from the normal client beside attackers.
    const { child, ready } = await spawn({ ...base, role: 'folkreg', subgraphUrls, benchCaller: caller, limits: 'overload' });
    const gatewayUrl = (ready as { url: string }).url;
    const lookups = await personLookup.prepare(database.db);
    overload = await measureOverload(
      {
        url: gatewayUrl,
        gatewayPid: child.pid!,
        attackerToken: `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'attacker', client: 'attacker-app', ttlSeconds: 3600 })}`,
        identifiers: lookups,
        normal: personLookup.send('folkreg', gatewayUrl, context, lookups),
        log,
      },
      { seconds: smoke ? 1 : Math.max(2, seconds), concurrency, attackers: smoke ? 2 : 4 },
    );
    await stopChild(child);
  }

  const report: Report = {
    startedAt: started.toISOString(),
    database: databaseUrl ? 'postgres' : 'pglite',
    persons: personCount,
    concurrency,
    secondsPerTarget: seconds,
    rounds,
    warmupSeconds,
    smoke,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    subgraphsInOwnProcess: Boolean(databaseUrl),
    measurements,
    subscriptions,
    overload,
  };
  const markdown = formatReport(report);
  console.log(markdown);
  if (!smoke) {
    const dir = new URL('./results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const stamp = started.toISOString().slice(0, 16).replace(':', '');
    writeFileSync(new URL(`${stamp}.json`, dir), JSON.stringify(report, null, 2) + '\n');
    // latest.md is the whole picture: a run of one part (--only, --scenarios, --phases) leaves it alone.
    const whole = !only && !values.scenarios && !values.phases;
    if (whole) writeFileSync(new URL('latest.md', dir), markdown + '\n');
    log(`wrote test/bench/results/${stamp}.json${whole ? ' and latest.md' : ''}`);
  }
  // A smoke run fails on any error: the harness (or what it drives) has rotted. A full run reports them.
  const failed = measurements.filter((m) => m.requests === 0 || (smoke ? m.errors > 0 : m.errors === m.requests));
  // A lost or misdelivered event fails a smoke run: that is a bug, never noise.
  const lost = subscriptions.filter((s) => s.delivered !== s.expected || s.unexpected > 0);
  // Normal traffic failing under attack is what the limits exist to prevent.
  if (overload && (overload.normalUnderAttack.errors > 0 || overload.normalUnderAttack.requests === 0)) {
    console.error(`Failed: normal traffic under attack had ${overload.normalUnderAttack.errors} errors in ${overload.normalUnderAttack.requests} requests`);
    process.exitCode = 1;
  }
  if (smoke && lost.length) {
    console.error(`Failed: subscription events lost or misdelivered in ${lost.map((s) => `${s.shape} ${s.subscribers}`).join(', ')}`);
    process.exitCode = 1;
  }
  await stopChildren();
  await closeSubgraphs();
  await seeded.dispose();
  if (firstError) log(`first failed answer: ${firstError}`);
  if (failed.length) {
    console.error(`Failed: ${failed.map((m) => `${m.scenario} → ${m.target}`).join(', ')}`);
    process.exitCode = 1;
  }
}

/** Disposed again (a no-op when `main` got there) if the run fails: a run's copy of a template is never left behind. */
let preparedDatabase: SeededDatabase | undefined;
// Interrupted (Ctrl-C, `timeout`): the copy is dropped too, then the process ends as the signal would.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    children.forEach((c) => c.kill());
    void (preparedDatabase?.dispose() ?? Promise.resolve()).catch(() => {}).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const deadline = setTimeout(() => {
  console.error('bench: gave up after 30 minutes');
  process.exit(2);
}, 30 * 60_000);
deadline.unref();
try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  children.forEach((c) => c.kill());
  await preparedDatabase?.dispose().catch((err: unknown) => console.error(err));
}
// A failed run may leave servers or sockets of this process open (embedded subgraphs): end it anyway.
process.exit();
