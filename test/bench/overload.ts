import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { load, percentile, type Send } from './load.js';

/**
 * The overload phase: the attack shapes of issue 13 sent beside normal traffic at one folkreg gateway
 * started with the default limits (the normal client exempt from budgets, as a partner with an override
 * would be; the attacker's budget 20,000 a minute). Normal traffic's latency is measured alone, then under attack; every attack answer is
 * counted by its code; the gateway's peak RSS comes from the kernel (VmHWM). Bounded in time.
 */
export interface OverloadPhase {
  seconds: number;
  /** Concurrent normal clients. */
  concurrency: number;
  /** Concurrent attackers over HTTP (plus one websocket subscribe flooder). */
  attackers: number;
}

export interface LatencyFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OverloadMeasurement {
  seconds: number;
  normalAlone: LatencyFigures;
  normalUnderAttack: LatencyFigures;
  attackRequests: number;
  /** Attack answers by `extensions.code` (or close code for sockets); `served` when answered without error. */
  refusals: Record<string, number>;
  /** Slowest refusal of an attack request. */
  attackP99Ms: number;
  gatewayRssBeforeBytes: number;
  gatewayRssPeakBytes: number;
  gatewayRssAfterBytes: number;
}

export interface OverloadBench {
  url: string;
  gatewayPid: number;
  attackerToken: string;
  identifiers: string[];
  normal: Send;
  log(message: string): void;
}

function nested(levels: number): string {
  let inner = 'name { givenNames }';
  for (let i = 0; i < levels; i++) inner = `familyRelations(first: 20) { edges { node { relative { ${inner} } } } }`;
  return `query Nested($i: String!) { person(identifier: $i) { ${inner} } }`;
}

/** The shapes seen in issue 13, and floods. Each returns the request body for the n-th send. */
const SHAPES: { name: string; body: (n: number, identifier: string) => unknown }[] = [
  { name: 'six nested family pages', body: (_, i) => ({ query: nested(6), variables: { i } }) },
  { name: 'family pages 150 deep', body: (_, i) => ({ query: nested(150), variables: { i } }) },
  { name: 'two nested family pages (allowed, 400 relatives)', body: (_, i) => ({ query: nested(2), variables: { i } }) },
  {
    name: '3,000 aliased lookups with family pages (563 KB)',
    body: (_, i) => ({
      query: `{ ${Array.from({ length: 3_000 }, (_, k) => `p${k}: person(identifier: "${i}") { name { givenNames } familyRelations(first: 20) { edges { node { relative { name { givenNames } } } } } }`).join(' ')} }`,
    }),
  },
  { name: 'token flood', body: () => ({ query: `{ ${'a '.repeat(30_000)}}` }) },
  { name: 'directive flood', body: (_, i) => ({ query: `{ person(identifier: "${i}") { id ${'@include(if: true) '.repeat(60)} } }` }) },
  {
    // Accepted by the limits (250 aliases, cost 252), each new to every cache: the memory attack.
    name: 'distinct 31 KB documents',
    body: (n, i) => ({
      query: `query Q${n}_${Math.random().toString(36).slice(2)} { person(identifier: "${i}") { ${Array.from({ length: 250 }, (_, k) => `n${k}: name { givenNames familyName addressingName }`).join(' ')} } }\n# ${'x'.repeat(18_000)}`,
    }),
  },
];

function rssBytes(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const figures = (latencies: number[], errors: number): LatencyFigures => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: latencies.length, errors, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
};

export async function measureOverload(bench: OverloadBench, phase: OverloadPhase): Promise<OverloadMeasurement> {
  const ms = phase.seconds * 1000;
  const before = rssBytes(bench.gatewayPid);
  const alone = await load(bench.normal, phase.concurrency, ms);
  bench.log(
    `overload: normal traffic alone p99 ${percentile(
      [...alone.latenciesMs].sort((a, b) => a - b),
      99,
    ).toFixed(1)} ms`,
  );

  const refusals: Record<string, number> = {};
  const count = (code: string) => void (refusals[code] = (refusals[code] ?? 0) + 1);
  const attackLatencies: number[] = [];
  const end = performance.now() + ms;
  let n = 0;
  const attack = async () => {
    while (performance.now() < end) {
      const k = n++;
      const shape = SHAPES[k % SHAPES.length]!;
      const t = performance.now();
      try {
        const res = await fetch(bench.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: bench.attackerToken },
          body: JSON.stringify(shape.body(k, bench.identifiers[k % bench.identifiers.length]!)),
        });
        const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        // Served (data, perhaps with masked fields' errors), or refused with a code.
        count(res.status === 429 ? 'RATE_LIMITED' : body.data ? 'served' : String(body.errors?.[0]?.extensions?.code));
      } catch {
        count('NETWORK_ERROR');
      }
      attackLatencies.push(performance.now() - t);
    }
  };
  /** Opens sockets that each subscribe 150 times (the limit is 100), until the phase ends. */
  const subscribeFlood = async () => {
    while (performance.now() < end) {
      const code = await new Promise<number>((done) => {
        const client = createClient({
          url: bench.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: bench.attackerToken },
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => {},
          on: { closed: (event) => done((event as { code?: number }).code ?? 0) },
        });
        for (let i = 0; i < 150; i++)
          client.subscribe({ query: 'subscription { changeEvents { type } }' }, { next: () => {}, error: () => {}, complete: () => {} });
        setTimeout(() => void client.dispose(), 2_000).unref();
      });
      count(`ws close ${code}`);
    }
  };
  const [underAttack] = await Promise.all([load(bench.normal, phase.concurrency, ms), ...Array.from({ length: phase.attackers }, attack), subscribeFlood()]);
  const after = rssBytes(bench.gatewayPid);
  const attackRequests = attackLatencies.length;
  bench.log(
    `overload: under attack p99 ${percentile(
      [...underAttack.latenciesMs].sort((a, b) => a - b),
      99,
    ).toFixed(1)} ms; ${attackRequests} attack requests`,
  );
  return {
    seconds: phase.seconds,
    normalAlone: figures(alone.latenciesMs, alone.errors),
    normalUnderAttack: figures(underAttack.latenciesMs, underAttack.errors),
    attackRequests,
    refusals,
    attackP99Ms: percentile(
      [...attackLatencies].sort((a, b) => a - b),
      99,
    ),
    gatewayRssBeforeBytes: before.rss,
    gatewayRssPeakBytes: after.peak,
    gatewayRssAfterBytes: after.rss,
  };
}

/** The phase's table for the report. */
export function formatOverload(m: OverloadMeasurement): string[] {
  const mb = (b: number) => `${(b / 1_048_576).toFixed(0)} MB`;
  const row = (label: string, f: LatencyFigures) => `| ${label} | ${f.requests} | ${f.errors} | ${f.p50Ms.toFixed(1)} | ${f.p99Ms.toFixed(1)} |`;
  return [
    '',
    `### Overload: attack shapes beside normal traffic (${m.seconds} s each)`,
    '',
    '| normal traffic (person lookups) | requests | errors | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    row('alone', m.normalAlone),
    row('under attack', m.normalUnderAttack),
    '',
    `Attack requests: ${m.attackRequests} (p99 answer ${m.attackP99Ms.toFixed(1)} ms). Answers by code: ` +
      Object.entries(m.refusals)
        .sort((a, b) => b[1] - a[1])
        .map(([code, k]) => `${code} ${k}`)
        .join(', ') +
      '.',
    `Gateway RSS: ${mb(m.gatewayRssBeforeBytes)} before, peak ${mb(m.gatewayRssPeakBytes)}, ${mb(m.gatewayRssAfterBytes)} after.`,
  ];
}
