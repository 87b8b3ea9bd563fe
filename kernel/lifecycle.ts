import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Config } from './config.js';
import { componentLog, errorFields } from './log.js';

/**
 * Time bounds of one HTTP server (gateway or subgraph) against slow or idle connections. Node's own
 * defaults let a connection that sends half a request stay open for minutes (checked every 30 s, with a
 * 60 s header and 300 s request bound).
 */
export interface ConnectionTimeouts {
  /** Longest a connection may take to send complete request headers. @default 10_000 // 10 seconds */
  headersTimeoutMs?: number;
  /** Longest a connection may take to send a whole request (headers and body). @default 30_000 // 30 seconds */
  requestTimeoutMs?: number;
  /**
   * Longest a kept-alive connection may sit idle between requests. Above the 60 s idle timeout of common
   * load balancers, so they close first and never reuse a connection we are closing.
   * @default 65_000 // 65 seconds
   */
  keepAliveTimeoutMs?: number;
  /** How often Node checks connections against the header and request bounds. @default 1_000 // 1 second */
  checkIntervalMs?: number;
}

/** The `createServer` options for `timeouts`; `keepAliveTimeout` is set on the server by `applyTimeouts`. */
export function serverOptions(timeouts: ConnectionTimeouts = {}): ServerOptions {
  const headersTimeout = timeouts.headersTimeoutMs ?? 10_000;
  return {
    headersTimeout,
    // Node requires requestTimeout ≥ headersTimeout (or 0).
    requestTimeout: Math.max(timeouts.requestTimeoutMs ?? 30_000, headersTimeout),
    connectionsCheckingInterval: timeouts.checkIntervalMs ?? 1_000,
  };
}

/** Sets what `createServer` options cannot: the kept-alive idle bound. */
export function applyTimeouts(server: Server, timeouts: ConnectionTimeouts = {}): void {
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs ?? 65_000;
}

/** HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS and HTTP_KEEP_ALIVE_TIMEOUT_MS as a server takes them. */
export function connectionTimeouts(config: Pick<Config, 'http'>): ConnectionTimeouts {
  return { headersTimeoutMs: config.http.headersTimeoutMs, requestTimeoutMs: config.http.requestTimeoutMs, keepAliveTimeoutMs: config.http.keepAliveTimeoutMs };
}

/** Time the process gives in-flight requests to finish at shutdown. @default 10_000 // 10 seconds */
export const DEFAULT_DRAIN_MS = 10_000;

/**
 * What a launcher's stop may take beyond the drain (closing the database, the websockets) before
 * `stopOnSignals` gives up: a process exits at most `drainMs + STOP_MARGIN_MS` after SIGTERM, which an
 * orchestrator's grace period must cover (deploy/kubernetes). @default 5_000 // 5 seconds
 */
export const STOP_MARGIN_MS = 5_000;

/**
 * Graceful stop of one HTTP server. `begin()` refuses new connections (the listener closes), closes
 * idle kept-alive ones and tells clients of in-flight requests not to reuse their connection;
 * `drain()` waits for in-flight requests to finish, at most `drainMs`, then cuts what is left.
 * Upgraded (websocket) connections are the websocket layer's to close.
 */
export class Drain {
  private readonly inFlight = new Set<ServerResponse>();
  private waiters: (() => void)[] = [];
  private closed: Promise<void> | null = null;
  /** True from `begin()` on: readiness answers 503 and responses say `connection: close`. */
  draining = false;

  constructor(private readonly server: Server) {
    // Registered before the application's handler, so even a request answered at once is counted.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) res.setHeader('connection', 'close');
      this.inFlight.add(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** In-flight HTTP requests (tests wait on this). */
  get requests(): number {
    return this.inFlight.size;
  }

  /** Stops accepting; idempotent. */
  begin(): void {
    if (this.draining) return;
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    this.closed = new Promise((ok) => this.server.close(() => ok()));
    this.server.closeIdleConnections();
  }

  /** `begin()`, then waits for in-flight requests (at most `drainMs`) and closes every connection left. */
  async drain(drainMs: number = DEFAULT_DRAIN_MS): Promise<void> {
    this.begin();
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((ok) => this.waiters.push(ok)), new Promise<void>((ok) => (timer = setTimeout(ok, drainMs)))]);
      clearTimeout(timer);
      if (this.inFlight.size > 0) log.warn({ requests: this.inFlight.size, drainMs }, 'requests still running after the drain time; closing their connections');
    }
    this.server.closeAllConnections();
    await this.closed;
  }
}

const log = componentLog('lifecycle');

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if `stop` fails or outlasts `limitMs`).
 * A second signal exits at once.
 */
export function stopOnSignals(name: string, stop: () => Promise<void>, limitMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.error({ signal }, `${name}: ${signal} again, exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, limitMs }, `${name}: ${signal}, draining (at most ${limitMs} ms) …`);
    // The hard bound: a stop that hangs must not keep an orchestrator waiting forever.
    const bound = setTimeout(() => {
      log.error({ limitMs }, `${name}: still stopping after ${limitMs} ms; exiting.`);
      process.exit(1);
    }, limitMs);
    bound.unref();
    stop().then(
      () => {
        log.info(`${name} stopped.`);
        process.exit(0);
      },
      (err) => {
        log.error({ err: errorFields(err) }, `${name}: stop failed`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export interface RunningServer {
  url: string;
  port: number;
  /** Graceful stop: readiness false, no new connections, in-flight requests finish (bounded), then closed. */
  close(): Promise<void>;
  /** HTTP requests in flight now (tests wait on this). */
  requests?(): number;
  /** Where Prometheus scrapes this server (`/metrics` on its port, or on METRICS_PORT's listener). */
  metricsUrl?: string;
}
