import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counters the project exposes to prove cost claims (SQL statements per request, subgraph fetches per
 * operation) and that the benchmark reads. A scope is entered per incoming request; work done inside it
 * (including awaited continuations) is attributed to it.
 */
export interface CostCounters {
  sqlStatements: number;
  subgraphFetches: number;
}

const scope = new AsyncLocalStorage<CostCounters>();

/** Process-wide totals since start. */
export const totals: CostCounters = { sqlStatements: 0, subgraphFetches: 0 };

export function newCounters(): CostCounters {
  return { sqlStatements: 0, subgraphFetches: 0 };
}

/** Runs `fn` with `counters` as the current request's counters. */
export function withCounters<T>(counters: CostCounters, fn: () => T): T {
  return scope.run(counters, fn);
}

export function currentCounters(): CostCounters | undefined {
  return scope.getStore();
}

export function countSqlStatement(): void {
  totals.sqlStatements++;
  const c = scope.getStore();
  if (c) c.sqlStatements++;
}

/**
 * Cost counters across process boundaries: the gateway asks a subgraph for them with this header
 * (only when its own client asked), and the subgraph answers with its SQL-statement count for that
 * request in `extensions[COUNTERS_EXTENSION]`. The gateway removes that extension before answering.
 */
export const COUNTERS_HEADER = 'folkreg-counters';

export const COUNTERS_EXTENSION = 'folkregCounters';

/** What a subgraph reports about one request. */
export interface SubgraphCounters {
  sqlStatements: number;
}
