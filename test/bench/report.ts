import type { SubscriptionMeasurement } from './subscribers.js';
import { formatOverload, type OverloadMeasurement } from './overload.js';

/** Where a scenario's requests go. `direct`: the client itself asks the subgraphs (the ceiling). */
/** `hive-rust`: Hive Gateway with its Rust query planner (`@graphql-hive/router-runtime`). */
export type TargetName = 'folkreg' | 'folkreg-unmasked' | 'hive' | 'hive-rust' | 'direct';

export interface Measurement {
  scenario: string;
  target: TargetName;
  requests: number;
  errors: number;
  /** Requests per second. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the gateway's process per request; null for `direct`. */
  gatewayCpuMsPerRequest: number | null;
  /** CPU time of the subgraphs' process (on PGlite: the runner's process, client included). */
  subgraphsCpuMsPerRequest: number;
  /** CPU time of the runner's process (the load generator). */
  clientCpuMsPerRequest: number;
  /** Requests the subgraphs served and SQL statements they ran, per gateway request. */
  subgraphFetchesPerRequest: number;
  sqlStatementsPerRequest: number;
}

export interface Report {
  startedAt: string;
  database: 'postgres' | 'pglite';
  persons: number;
  concurrency: number;
  secondsPerTarget: number;
  rounds: number;
  warmupSeconds: number;
  smoke: boolean;
  node: string;
  cpus: number;
  subgraphsInOwnProcess: boolean;
  measurements: Measurement[];
  /** Websocket subscription phases (absent in reports written before they existed). */
  subscriptions?: SubscriptionMeasurement[];
  overload?: OverloadMeasurement;
}

/** The targets for one gateway on this 2-core machine. */
export const SUBSCRIPTION_TARGETS = { p99Ms: 250, kbPerIdleSubscriber: 30 };

const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '–');

/** One column per phase; each figure with its comparison (delivered : expected, target) beside it. */
function formatSubscriptions(phases: SubscriptionMeasurement[]): string[] {
  const head = phases.map((p) => `${p.shape}, ${p.subscribers.toLocaleString('en')}`);
  const row = (label: string, cell: (p: SubscriptionMeasurement) => string) => `| ${label} | ${phases.map(cell).join(' | ')} |`;
  const { p99Ms, kbPerIdleSubscriber } = SUBSCRIPTION_TARGETS;
  return [
    '',
    '### Subscriptions (websocket, one folkreg gateway with masking and audit on, started afresh for each phase)',
    '',
    'broadcast: one caller and document, so one shared feed and every subscriber gets every event; targeted: each subscriber follows a person of its own (`personIdentifiers: [$who]`), so one feed per subscriber, and each event is for one followed person. Latency: the writer’s commit returning → the client’s `next`, clients in the runner’s process on the same 2 cores.',
    '',
    `| | ${head.join(' | ')} |`,
    `|---|${phases.map(() => '---:').join('|')}|`,
    row('upstream feeds at the gateway', (p) => p.feeds.toLocaleString('en')),
    row('events committed (events/s × s), after a warm-up of', (p) => `${p.events} (${p.eventsPerSecond} × ${p.seconds}), ${p.warmupSeconds ?? 0} s`),
    row('websocket messages/s expected', (p) => (p.expected / p.seconds).toFixed(0)),
    row('delivered / expected', (p) => `${p.delivered} / ${p.expected} (${ratio(p.delivered, p.expected)})`),
    row('lost', (p) => String(p.expected - p.delivered)),
    row('misdelivered or failed', (p) => String(p.unexpected)),
    row('commit-to-client p50, ms', (p) => p.p50Ms.toFixed(1)),
    row(`commit-to-client p99, ms (÷ ${p99Ms} ms target)`, (p) => `${p.p99Ms.toFixed(1)} (${ratio(p.p99Ms, p99Ms)})`),
    row('commit-to-client max, ms', (p) => p.maxMs.toFixed(1)),
    row('seconds to subscribe all', (p) => p.subscribeSeconds.toFixed(1)),
    row(
      `gateway RSS growth per idle subscriber, KB (÷ ${kbPerIdleSubscriber} KB target)`,
      (p) => `${p.gatewayRssKbPerSubscriber.toFixed(1)} (${ratio(p.gatewayRssKbPerSubscriber, kbPerIdleSubscriber)})`,
    ),
    row('gateway JS heap growth per idle subscriber, KB', (p) => p.gatewayHeapKbPerSubscriber.toFixed(1)),
    row('gateway CPU, ms per event', (p) => p.gatewayCpuMsPerEvent.toFixed(2)),
    row(
      'feed batches read per event (before the tap: every feed, each event)',
      (p) => `${p.batchQueriesPerEvent.toFixed(2)} (was ${p.feeds.toLocaleString('en')})`,
    ),
    row('pipeline runs reading them, per event', (p) => p.batchRunsPerEvent.toFixed(2)),
    row('tap reads per event', (p) => p.tapReadsPerEvent.toFixed(2)),
    row('subgraphs CPU, ms per event', (p) => p.subgraphsCpuMsPerEvent?.toFixed(2) ?? '–'),
    row('subgraph fetches per event', (p) => p.subgraphFetchesPerEvent?.toFixed(2) ?? '–'),
    row('SQL statements per event (subgraphs)', (p) => p.sqlStatementsPerEvent?.toFixed(2) ?? '–'),
  ];
}

const ROWS: { label: string; value: (m: Measurement) => number | null; digits: number }[] = [
  { label: 'throughput, req/s', value: (m) => m.throughput, digits: 0 },
  { label: 'p50 latency, ms', value: (m) => m.p50Ms, digits: 1 },
  { label: 'p99 latency, ms', value: (m) => m.p99Ms, digits: 1 },
  { label: 'errors', value: (m) => m.errors, digits: 0 },
  { label: 'gateway CPU, ms/req', value: (m) => m.gatewayCpuMsPerRequest, digits: 2 },
  { label: 'subgraphs CPU, ms/req', value: (m) => m.subgraphsCpuMsPerRequest, digits: 2 },
  { label: 'load generator CPU, ms/req', value: (m) => m.clientCpuMsPerRequest, digits: 2 },
  { label: 'subgraph fetches/req', value: (m) => m.subgraphFetchesPerRequest, digits: 2 },
  { label: 'SQL statements/req', value: (m) => m.sqlStatementsPerRequest, digits: 2 },
];

/** The comparisons the issues ask for (both Hive targets), each as numerator / denominator. */
const RATIOS: { label: string; of: TargetName; to: TargetName }[] = [
  { label: 'folkreg / Hive', of: 'folkreg', to: 'hive' },
  { label: 'folkreg / Hive (Rust planner)', of: 'folkreg', to: 'hive-rust' },
  { label: 'masked / unmasked', of: 'folkreg', to: 'folkreg-unmasked' },
  { label: 'folkreg / direct', of: 'folkreg', to: 'direct' },
];

const COLUMNS: { label: string; target: TargetName }[] = [
  { label: 'folkreg', target: 'folkreg' },
  { label: 'folkreg, masking+audit off', target: 'folkreg-unmasked' },
  { label: 'Hive Gateway', target: 'hive' },
  { label: 'Hive Gateway, Rust planner', target: 'hive-rust' },
  { label: 'direct to subgraphs', target: 'direct' },
];

const format = (x: number | null | undefined, digits: number) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** One table per scenario: a row per figure, a column per target, then the ratios. */
export function formatReport(report: Report): string {
  const lines = [
    `## folkreg benchmark, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${report.persons.toLocaleString('en')} persons on ${report.database === 'postgres' ? 'Postgres' : 'PGlite'}; ` +
      `${report.concurrency} concurrent clients; ${report.secondsPerTarget} s per target and scenario in ${report.rounds} alternating round(s) ` +
      `after ${report.warmupSeconds} s warm-up; Node ${report.node}, ${report.cpus} CPUs. Each gateway runs in its own process; ` +
      (report.subgraphsInOwnProcess ? 'the five subgraphs share one process.' : 'the subgraphs run in the load generator’s process (PGlite).') +
      (report.smoke ? ' **Smoke run: the figures mean nothing.**' : ''),
  ];
  const scenarios = [...new Set(report.measurements.map((m) => m.scenario))];
  for (const scenario of scenarios) {
    const of = (t: TargetName) => report.measurements.find((m) => m.scenario === scenario && m.target === t);
    const columns = COLUMNS.filter((c) => of(c.target));
    const ratios = RATIOS.filter((r) => of(r.of) && of(r.to));
    lines.push('', `### ${scenario}`, '', `| | ${[...columns.map((c) => c.label), ...ratios.map((r) => r.label)].join(' | ')} |`);
    lines.push(`|---|${[...columns, ...ratios].map(() => '---:').join('|')}|`);
    for (const row of ROWS) {
      const cells = columns.map((c) => format(row.value(of(c.target)!), row.digits));
      const ratioCells = ratios.map((r) => {
        const a = row.value(of(r.of)!);
        const b = row.value(of(r.to)!);
        return a === null || b === null || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
      });
      lines.push(`| ${row.label} | ${[...cells, ...ratioCells].join(' | ')} |`);
    }
  }
  if (report.subscriptions?.length) lines.push(...formatSubscriptions(report.subscriptions));
  if (report.overload) lines.push(...formatOverload(report.overload));
  return lines.join('\n');
}
