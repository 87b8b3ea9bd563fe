/**
 * Prometheus metrics (prom-client), shared by the gateway and the subgraphs: one registry per server, the
 * process's own metrics once per process, the `/metrics` answer, HTTP request timing and a label whose
 * values are bounded. Names follow the OpenTelemetry semantic conventions where they have one
 * (`http.server.request.duration` → `http_server_request_duration_seconds`), `folkreg_` otherwise.
 *
 * Labels never carry what a caller sent beyond a bounded vocabulary: no identifier, name, variable or id.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Path of the exposition on every server. */
export const METRICS_PATH = '/metrics';

/**
 * Buckets of request and fetch durations, in seconds: OpenTelemetry's advice for
 * `http.server.request.duration`, 5 ms to 10 s.
 */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

let processRegistry: Registry | null = null;

/**
 * The process's own metrics (CPU, memory, heap, GC, handles, `nodejs_eventloop_lag_seconds`), collected
 * once per process: the in-process stack runs six servers in one process, and each `/metrics` shows the
 * same process figures beside its server's own.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

/** A registry for one server's metrics (the gateway's, or one subgraph's). */
export function serverRegistry(): Registry {
  return new Registry();
}

/** The text exposition of `registry` and the process metrics, as Prometheus scrapes it. */
export async function exposition(registry: Registry): Promise<string> {
  const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
  return `${own}\n${process}`;
}

/** Answers a scrape of `registry` (GET or HEAD); never authenticated, never shed. */
export function serveMetrics(registry: Registry, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('allow', 'GET, HEAD');
    res.end();
    return;
  }
  exposition(registry).then(
    (text) => {
      res.statusCode = 200;
      res.setHeader('content-type', registry.contentType);
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    () => {
      res.statusCode = 500;
      res.end();
    },
  );
}

/**
 * A listener of its own that answers only `/metrics` (METRICS_PORT), so the exposition can stay on an
 * interface the public never reaches while the service port is public.
 */
export async function startMetricsServer(registry: Registry, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === METRICS_PATH) return serveMetrics(registry, req, res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Where a server's metrics are served: on its own port (undefined), or on a listener of their own. */
export interface MetricsListenOptions {
  /** METRICS_PORT: a separate listener for `/metrics` (then the service port does not serve it); 0 picks a free one. @default undefined // the service port */
  port?: number;
}

/**
 * `http.server.request.duration` of one server: seconds per request, by method, route and status. The
 * route is one of the server's own paths (`/graphql`, …) or `other`, never the path a client sent.
 */
export class HttpMetrics {
  private readonly duration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;

  constructor(
    registry: Registry,
    /** The paths this server answers; any other is counted as `other`. */
    private readonly routes: ReadonlySet<string>,
  ) {
    this.duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
      labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /** Times `res` from now to its end (finished or closed). */
  observe(req: IncomingMessage, path: string, res: ServerResponse): void {
    const end = this.duration.startTimer();
    const method = KNOWN_METHODS.has(req.method ?? '') ? req.method! : '_OTHER';
    res.once('close', () =>
      end({ http_request_method: method, http_route: this.routes.has(path) ? path : 'other', http_response_status_code: String(res.statusCode) }),
    );
  }
}

/** What the database pool gauges read (db/client.ts `PoolUsage`): connections used, work waiting, the pool's size. */
export interface PoolReadings {
  readonly max: number;
  readonly used: number;
  readonly pending: number;
}

/**
 * The database pool's gauges (OpenTelemetry `db.client.connection.count` with state `used`,
 * `db.client.connection.pending_requests`, `db.client.connection.max`), read from `pool` at each scrape.
 */
export function poolGauges(registry: Registry, pool: PoolReadings): void {
  const registers = [registry];
  new Gauge({
    name: 'db_client_connection_count',
    help: 'Database connections in use: statements and transactions running now (OpenTelemetry db.client.connection.count).',
    labelNames: ['db_client_connection_state'],
    registers,
    collect() {
      this.set({ db_client_connection_state: 'used' }, pool.used);
    },
  });
  new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Statements and transactions waiting for a database connection (OpenTelemetry db.client.connection.pending_requests).',
    registers,
    collect() {
      this.set(pool.pending);
    },
  });
  new Gauge({
    name: 'db_client_connection_max',
    help: 'Connections the database pool may open: DATABASE_POOL_SIZE, 1 on the embedded database (OpenTelemetry db.client.connection.max).',
    registers,
    collect() {
      this.set(pool.max);
    },
  });
}

/** Methods counted by name (OpenTelemetry's `http.request.method`); any other is `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Label value of a bounded label's values past its bound. */
export const OTHER_LABEL = 'other';

/**
 * A label's values, bounded: the values given at start, then the first `max` distinct others seen;
 * anything past them, or not matching `shape`, is `other`. Keeps a label's cardinality at most
 * `known + max + 1` whatever clients send.
 */
export class BoundedLabel {
  private readonly admitted: Set<string>;
  private seen = 0;

  constructor(
    /** How many values beyond `known` are admitted. @default 100 */
    private readonly max = 100,
    known: Iterable<string> = [],
    /** What an admitted value must look like. @default a GraphQL name with no run of 4 digits (no identifier) */
    private readonly shape: RegExp = SAFE_NAME,
  ) {
    this.admitted = new Set([...known].filter((v) => shape.test(v)));
  }

  /** `value` if admitted (admitting it while there is room), else `other`. */
  of(value: string): string {
    if (this.admitted.has(value)) return value;
    if (this.seen >= this.max || !this.shape.test(value)) return OTHER_LABEL;
    this.seen++;
    this.admitted.add(value);
    return value;
  }
}

/**
 * A GraphQL name of at most 64 characters without four digits in a row: personal identity numbers, CPR
 * numbers and dates have them, so an operation named after a person's number is never a label.
 */
export const SAFE_NAME = /^(?!.*\d{4})[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** What an error code must look like to be a label (codes of the catalogue, Apollo's and graphql-armor's). */
const CODE_SHAPE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Options of `GraphQLMetrics`. */
export interface GraphQLMetricsOptions {
  /** Operation names always counted by name (the gateway: those of the registered documents). @default [] */
  registeredOperations?: Iterable<string>;
  /** Distinct other operation names counted by name before the rest are `other`. @default 100 */
  maxOperationNames?: number;
}

type OperationLabels = 'graphql_operation_name' | 'graphql_operation_type';

/** Told of each response a server sends: the operation's name (null if none was resolved) and the single result's data and errors. */
export type GraphQLAnswered<C> = (
  context: C,
  operationName: string | null,
  result: { data?: unknown; errors?: readonly { extensions?: { code?: unknown } }[] } | undefined,
) => void;

/**
 * GraphQL operations of one server, timed per operation name (bounded: `BoundedLabel`) and type, the
 * operations answered with errors, and every error by `extensions.code` (`folkreg_errors_total`).
 */
export class GraphQLMetrics {
  private readonly operationNames: BoundedLabel;
  private readonly codes = new BoundedLabel(100, [], CODE_SHAPE);
  private readonly duration: Histogram<OperationLabels>;
  private readonly failed: Counter<OperationLabels>;
  private readonly errors: Counter<'code'>;

  constructor(registry: Registry, options: GraphQLMetricsOptions = {}) {
    const registers = [registry];
    this.operationNames = new BoundedLabel(options.maxOperationNames ?? 100, options.registeredOperations ?? []);
    const labelNames = ['graphql_operation_name', 'graphql_operation_type'] as const;
    this.duration = new Histogram({
      name: 'graphql_server_request_duration_seconds',
      help: 'Duration of GraphQL operations, by operation name (registered or first seen, else other; anonymous; unknown if unparsed) and type.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.failed = new Counter({
      name: 'graphql_server_request_errors_total',
      help: 'GraphQL operations answered with at least one error, by operation name and type.',
      labelNames,
      registers,
    });
    this.errors = new Counter({
      name: 'folkreg_errors_total',
      help: 'Errors sent to clients, by extensions.code (GraphQL results and refusals before execution).',
      labelNames: ['code'],
      registers,
    });
  }

  /** An error sent to a client, by its code (a value that is not a code counts as INTERNAL_SERVER_ERROR). */
  readonly error = (code: unknown): void => {
    this.errors.inc({ code: this.code(code) });
  };

  /** `code` as a label value: bounded like operation names. */
  code(code: unknown): string {
    return this.codes.of(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
  }

  /**
   * Apollo Server plugin timing every operation (but those `skip` says are not a client's) and counting
   * their errors; `answered`, if given, is told of every response, skipped or not (one plugin, where a
   * second would add its hooks to every request).
   */
  plugin<C extends BaseContext>(skip: (context: C) => boolean = () => false, answered?: GraphQLAnswered<C>): ApolloServerPlugin<C> {
    return {
      requestDidStart: async ({ contextValue }) => {
        const timed = !skip(contextValue);
        if (!timed && !answered) return;
        const started = timed ? performance.now() : 0;
        return {
          willSendResponse: async ({ response, operation, operationName }) => {
            const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
            answered?.(contextValue, operationName ?? null, result);
            if (!timed) return;
            const labels = {
              graphql_operation_name: operationName ? this.operationNames.of(operationName) : operation ? 'anonymous' : 'unknown',
              graphql_operation_type: operation?.operation ?? 'unknown',
            };
            this.duration.observe(labels, (performance.now() - started) / 1_000);
            const errors = result?.errors;
            if (!errors?.length) return;
            this.failed.inc(labels);
            for (const e of errors) this.error(e.extensions?.code);
          },
        };
      },
    };
  }
}
