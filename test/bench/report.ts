/** Where a scenario's requests go. `direct`: the client itself asks the subgraphs (the ceiling). */
export type TargetName = 'folkreg' | 'folkreg-unmasked' | 'hive' | 'direct';

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

/** The three comparisons the issue asks for, each as numerator / denominator. */
const RATIOS: { label: string; of: TargetName; to: TargetName }[] = [
  { label: 'folkreg / Hive', of: 'folkreg', to: 'hive' },
  { label: 'masked / unmasked', of: 'folkreg', to: 'folkreg-unmasked' },
  { label: 'folkreg / direct', of: 'folkreg', to: 'direct' },
];

const COLUMNS: { label: string; target: TargetName }[] = [
  { label: 'folkreg', target: 'folkreg' },
  { label: 'folkreg, masking+audit off', target: 'folkreg-unmasked' },
  { label: 'Hive Gateway', target: 'hive' },
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
  return lines.join('\n');
}
