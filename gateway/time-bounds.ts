import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../kernel/config.js';
import { connectionTimeouts } from '../kernel/lifecycle.js';

/**
 * Time bounds of one GraphQL request at the gateway. The defaults nest: a database statement is
 * cancelled after 5 s and a subgraph gives up on its database 1 s later, inside the 8 s a subgraph
 * fetch may take, inside the 10 s of the whole request — so the innermost cause is what the caller sees.
 */
export interface TimeBoundOptions {
  /** Deadline of a whole GraphQL request (every subgraph fetch of its plan). @default 10_000 // 10 seconds */
  requestTimeoutMs?: number;
  /** Longest one subgraph fetch may take (headers and body), within what is left of the request's deadline. @default 8_000 // 8 seconds */
  subgraphTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 8_000;

/** What the gateway's per-request context carries about time; every field is optional (internal callers). */
export interface TimeBoundContext {
  /** Aborted at the request's deadline, or when its client went away. */
  signal?: AbortSignal;
  /** When the request's deadline passes (epoch ms). */
  deadlineAt?: number;
  /** Overrides the subgraph fetch bound (the head long-poll waits longer than a query may). */
  fetchTimeoutMs?: number;
}

/** The deadline of one HTTP request: aborted after `timeoutMs`, or as soon as the client closes its connection. */
export function requestDeadline(_req: IncomingMessage, res: ServerResponse, timeoutMs: number): Required<Pick<TimeBoundContext, 'signal' | 'deadlineAt'>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(timeoutMs)), timeoutMs);
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) controller.abort();
  });
  return { signal: controller.signal, deadlineAt: Date.now() + timeoutMs };
}

/** The reason a request's signal aborts at its deadline. */
export class DeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The request's deadline of ${timeoutMs} ms passed.`);
  }
}

/**
 * The bound of one subgraph fetch: the smaller of the fetch bound and what is left of the request,
 * and a signal that aborts at either (or when the request's client goes away).
 */
export function fetchBound(context: TimeBoundContext | undefined, subgraphTimeoutMs: number): { signal: AbortSignal; timeoutMs: number; byDeadline: boolean } {
  const fetchMs = context?.fetchTimeoutMs ?? subgraphTimeoutMs;
  const left = context?.deadlineAt !== undefined ? Math.max(0, context.deadlineAt - Date.now()) : Infinity;
  const timeoutMs = Math.min(fetchMs, left);
  const own = AbortSignal.timeout(Math.max(1, timeoutMs));
  return { signal: context?.signal ? AbortSignal.any([context.signal, own]) : own, timeoutMs, byDeadline: left < fetchMs };
}

/**
 * Every time bound of a gateway process, as `startGateway` takes them: REQUEST_TIMEOUT_MS,
 * SUBGRAPH_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS,
 * SHUTDOWN_DRAIN_MS, LOAD_SHEDDING_EVENT_LOOP_DELAY_MS.
 */
export function gatewayBounds(config: Pick<Config, 'gateway' | 'http'>) {
  return {
    timeBounds: { requestTimeoutMs: config.gateway.requestTimeoutMs, subgraphTimeoutMs: config.gateway.subgraphTimeoutMs },
    timeouts: connectionTimeouts(config),
    drainMs: config.http.drainMs,
    loadShedding: { maxEventLoopDelayMs: config.gateway.loadSheddingEventLoopDelayMs },
  };
}
