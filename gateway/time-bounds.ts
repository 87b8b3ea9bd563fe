import { setMaxListeners } from 'node:events';
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
  // Each subgraph fetch of the plan listens on it while it runs (`fetchBound`); a wide plan has more than Node's default 10 at once.
  setMaxListeners(0, controller.signal);
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

/** The bound of one subgraph fetch (`fetchBound`). */
export interface FetchBound {
  /** Aborts at the bound, or with the request's own signal (its deadline, or its client gone). */
  signal: AbortSignal;
  timeoutMs: number;
  /** The request's deadline, not the fetch bound, is what ends it. */
  byDeadline: boolean;
  /** Ends the bound's timer and its listener on the request's signal: call it once the fetch settled. */
  release(): void;
}

const NOTHING_TO_RELEASE = () => {};

/**
 * The bound of one subgraph fetch: the smaller of the fetch bound and what is left of the request,
 * and a signal that aborts at either (or when the request's client goes away).
 *
 * A plain timer and controller, cleared by `release`: `AbortSignal.timeout` + `AbortSignal.any` per
 * fetch cost about 25 µs each (measured), and every timeout signal's timer still fired 8 s later,
 * building a DOMException for a fetch long done (6 % of the gateway's CPU on a person lookup in a
 * bench profile). A fetch the request's deadline bounds needs no timer of its own: the request's
 * signal aborts at that deadline.
 */
export function fetchBound(context: TimeBoundContext | undefined, subgraphTimeoutMs: number): FetchBound {
  const fetchMs = context?.fetchTimeoutMs ?? subgraphTimeoutMs;
  const left = context?.deadlineAt !== undefined ? Math.max(0, context.deadlineAt - Date.now()) : Infinity;
  const timeoutMs = Math.min(fetchMs, left);
  const byDeadline = left < fetchMs;
  const outer = context?.signal;
  if (outer && (byDeadline || outer.aborted)) return { signal: outer, timeoutMs, byDeadline, release: NOTHING_TO_RELEASE };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The fetch took longer than ${timeoutMs} ms.`, 'TimeoutError')), Math.max(1, timeoutMs));
  const follow = () => controller.abort(outer!.reason);
  outer?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    timeoutMs,
    byDeadline,
    release() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', follow);
    },
  };
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
