import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, visit, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { ERROR_VOCABULARY_SDL, type ErrorCode, type ErrorReason } from '../../kernel/errors.js';
import { unwrapResolverError } from '@apollo/server/errors';
import type { CryptoKey } from 'jose';
import { sql } from 'drizzle-orm';
import { databaseFault, poolOf, type Db } from '../../db/client.js';
import { newCounters, withCounters } from '../../kernel/cost-counters.js';
import { reportCountersPlugin } from './counters.js';
import { COUNTERS_HEADER } from '../../kernel/cost-counters.js';
import type { CursorCodec } from './cursor.js';
import type { Caller } from '../../kernel/caller.js';
import { GatewayAccess, isRefusal, type AdmittedRequest } from './gateway-access.js';
import { sendError, sendJson, serveGraphQL } from '../../kernel/http.js';
import { applyTimeouts, DEFAULT_DRAIN_MS, Drain, serverOptions, type ConnectionTimeouts, type RunningServer } from '../../kernel/lifecycle.js';
import { createProtectionLoader, guardProtectedFields, type ProtectionOwners } from './protected-fields.js';
import type DataLoader from 'dataloader';
import { keyValueCache, parsedDocumentBytes, SizedLru } from '../../kernel/cache.js';
import { componentLog, errorFields, REQUEST_ID_HEADER, requestIdOf, type Logger } from '../../kernel/log.js';
import { METRICS_PATH, serveMetrics, startMetricsServer, type MetricsListenOptions } from '../../kernel/metrics.js';
import { SubgraphMetrics } from './metrics.js';
import { SubgraphExecutor, subgraphExecutorGateway } from './executor.js';
import { activeTraceId, tracedRequests } from '../../kernel/tracing.js';

/** Parsed documents a subgraph keeps (each distinct client selection gives the subgraphs distinct ones). @default 32_000_000 // 32 MB */
const SUBGRAPH_DOCUMENT_BYTES = 32_000_000;

/** What every resolver of every subgraph gets. Loaders are created per request (DataLoader batching). */
export interface SubgraphContext<L = unknown> {
  db: Db;
  loaders: L;
  caller: Caller;
  cursors: CursorCodec;
  /**
   * Aborted when the caller (the gateway) gives up on the request or the server stops: long waits
   * (the head long-poll) end on it.
   */
  signal: AbortSignal;
  /** Protection kinds in force per person id, for the second line (`protected-fields.ts`). */
  protection: DataLoader<string, string[]>;
  /** The request's logger: its lines carry the gateway's request id (`x-request-id`, or a new one). */
  log: Logger;
}

/** A subgraph: its SDL, resolvers and per-request loaders. Each lives in subgraphs/<name>/. */
export interface SubgraphDefinition<L = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  /** Typed per subgraph by the `Resolvers` generated from its SDL (`npm run codegen`), which binds its context too. */
  resolvers: { [typeName: string]: unknown };
  createLoaders(db: Db): L;
  /**
   * Per type, the owner of its `@protected` fields: the subgraph then resolves them to null when the
   * caller's signed `hidden` map hides them (`protected-fields.ts`).
   */
  protectionOwners?: ProtectionOwners<SubgraphContext<L>>;
  /**
   * POST routes beside /graphql that the gateway forwards to (the person subgraph's `/ingest/cpr`),
   * behind the same door: a gateway token signed for this subgraph and this exact body, used once.
   */
  routes?: Readonly<Record<string, SubgraphRoute>>;
}

/** A POST route of a subgraph: its body bound and its handler, which answers a status and a JSON value. */
export interface SubgraphRoute {
  readonly maxBytes: number;
  handle(request: AdmittedRequest, runtime: { db: Db; log: Logger }): Promise<{ status: number; body: unknown }>;
}

/** What a running subgraph needs from its process. */
export interface SubgraphRuntime {
  db: Db;
  /** Public key of the gateway: requests must carry a token it signed. */
  gatewayPublicKey: CryptoKey;
  cursors: CursorCodec;
  /** The clock gateway tokens are checked against, in ms since the epoch (tests move it). @default Date.now */
  now?: () => number;
  /**
   * Hot queries run compiled by graphql-jit (`executor.ts`); off, every request runs on graphql-js (the
   * reference its test compares with). @default true
   */
  compiledExecution?: boolean;
  /**
   * The body bound of a route by its path, instead of the route's own `maxBytes` (the person subgraph's
   * ingest routes: INGEST_MAX_BYTES, `ingestRouteBounds` in kernel/ingest-route.ts). @default {} // each route's own
   */
  routeMaxBytes?: Readonly<Record<string, number>>;
}

/** Where and how a subgraph listens. */
export interface ListenOptions {
  /** @default '127.0.0.1' // loopback: a subgraph answers only the gateway */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** PEM certificate chain and key: the subgraph then speaks HTTPS only (README, "Trust between gateway and subgraphs"). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Bounds on slow and idle connections. */
  timeouts?: ConnectionTimeouts;
  /** Time in-flight requests get to finish at `close()`. @default 10_000 // 10 seconds */
  drainMs?: number;
  /** Time `/readyz` waits for the database. @default 1_000 // 1 second */
  readinessTimeoutMs?: number;
  /** Where `/metrics` is served (README "Metrics"). @default {} // on the subgraph's port */
  metrics?: MetricsListenOptions;
}

/**
 * A subgraph's SDL: its own `schema.graphql` after the shared definition of `@protected` and the error
 * vocabulary, followed by the definitions of `common.graphql` it names. Only those it names: a subgraph
 * that has no page of anything declares no `PageInfo`, so the supergraph (and its query plans) stays what
 * it was when each subgraph wrote its own copy.
 */
export function loadSchema(moduleUrl: string | URL): DocumentNode {
  const document = parse(protectionSdl + ERROR_VOCABULARY_SDL + readFileSync(new URL('./schema.graphql', moduleUrl), 'utf8'));
  const named = new Set<string>();
  visit(document, { NamedType: (node) => void named.add(node.name.value) });
  const common = commonDefinitions.filter((definition) => 'name' in definition && definition.name !== undefined && named.has(definition.name.value));
  return { ...document, definitions: [...document.definitions, ...common] };
}
const protectionSdl = readFileSync(new URL('../../kernel/protection.graphql', import.meta.url), 'utf8');
const commonDefinitions = parse(readFileSync(new URL('./common.graphql', import.meta.url), 'utf8')).definitions;

export function defineSubgraph<L>(definition: SubgraphDefinition<L>): SubgraphDefinition<L> {
  return definition;
}

/**
 * Starts a subgraph's HTTP server: POST/GET /graphql (gateway token required), GET /healthz, GET /readyz
 * (database reachable). Port 0 picks a free port.
 */
export async function startSubgraph<L>(definition: SubgraphDefinition<L>, runtime: SubgraphRuntime, listen: ListenOptions = {}): Promise<RunningServer> {
  const schema = buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> });
  guardProtectedFields(schema, definition.protectionOwners ?? {});
  const metrics = new SubgraphMetrics();
  const pool = poolOf(runtime.db);
  if (pool) metrics.watchPool(pool);
  const executor = new SubgraphExecutor(schema, { compiled: runtime.compiledExecution });
  const apollo = new ApolloServer<SubgraphContext<L>>({
    // Apollo's pipeline (document store, validation, plugins, formatting) with `executor` in place of graphql-js's `execute`.
    gateway: subgraphExecutorGateway(executor),
    // Traces are for Apollo's hosted reporting, which we do not use; cache hints are computed by wrapping
    // every field resolver, and register data is never cacheable. Both cost CPU on every request.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      reportCountersPlugin(),
      logFaultsPlugin<L>(definition.name, metrics),
      metrics.plugin<SubgraphContext<L>>(),
    ],
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown (close servers, then the database); Apollo's own signal handlers race it.
    stopOnTerminationSignals: false,
    csrfPrevention: false,
    formatError: (formatted, error) => maskInternalError(definition.name, formatted, error),
    // The gateway's plans carry its clients' selections here: parsed documents bounded by bytes, as at the gateway.
    documentStore: keyValueCache(new SizedLru<DocumentNode>({ maxBytes: SUBGRAPH_DOCUMENT_BYTES, sizeOf: parsedDocumentBytes })),
  });
  await apollo.start();
  const access = new GatewayAccess({ subgraph: definition.name, gatewayPublicKey: runtime.gatewayPublicKey, now: runtime.now });
  // Every in-flight request's signal: aborted at shutdown, so long waits answer at once instead of holding the drain.
  const inFlight = new Set<AbortController>();
  const readinessMs = listen.readinessTimeoutMs ?? 1_000;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    metrics.http.observe(req, path, res);
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: definition.name });
    // Like /healthz: no gateway token (a separate listener when METRICS_PORT is set).
    if (path === METRICS_PATH && !metricsListener) return serveMetrics(metrics.registry, req, res);
    if (path === '/readyz') {
      if (drain.draining) return sendJson(res, 503, { status: 'draining', subgraph: definition.name });
      withinMs(runtime.db.execute(sql`select 1`), readinessMs)
        .then(() => sendJson(res, 200, { status: 'ready', subgraph: definition.name }))
        .catch(() => sendJson(res, 503, { status: 'database unreachable', subgraph: definition.name }));
      return;
    }
    const route = definition.routes && Object.hasOwn(definition.routes, path) ? definition.routes[path] : undefined;
    if (route) return serveRoute(route, runtime.routeMaxBytes?.[path] ?? route.maxBytes, req, res);
    if (path !== '/graphql') return sendError(res, 404, 'NOT_FOUND', `No route ${path}; the GraphQL endpoint is /graphql.`);
    const signal = requestSignal(res, inFlight);
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    const traceId = activeTraceId();
    const log = componentLog(definition.name).child(traceId ? { requestId, traceId } : { requestId });
    const started = performance.now();
    res.once('finish', () => log.debug({ status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request finished'));
    const serve = ({ caller, body }: AdmittedRequest) =>
      serveGraphQL(
        apollo,
        req,
        res,
        async () => ({
          db: runtime.db,
          loaders: definition.createLoaders(runtime.db),
          caller,
          cursors: runtime.cursors,
          protection: createProtectionLoader(runtime.db),
          signal,
          log,
        }),
        undefined,
        body,
      );
    // Per-request counting needs async context tracking, which taxes every promise: only when asked.
    admitThen(req, res, log, undefined, (admitted) =>
      req.headers[COUNTERS_HEADER] === '1' ? withCounters(newCounters(), () => serve(admitted)) : serve(admitted),
    );
  };
  /** Runs `serve` for a request the door admits; a refusal answers its status, a fault 500. */
  const admitThen = (
    req: IncomingMessage,
    res: ServerResponse,
    log: Logger,
    maxBytes: number | undefined,
    serve: (admitted: AdmittedRequest) => Promise<unknown>,
  ) =>
    access
      .admit(req, maxBytes)
      .then(serve, (refused: unknown) => {
        if (!isRefusal(refused)) throw refused;
        metrics.error(refused.code);
        sendError(res, refused.status, refused.code, refused.message, refused.reason ? { reason: refused.reason } : {});
      })
      .catch((err) => {
        log.error({ err: errorFields(err) }, 'request failed');
        metrics.error('INTERNAL_SERVER_ERROR');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
  const serveRoute = (route: SubgraphRoute, maxBytes: number, req: IncomingMessage, res: ServerResponse) => {
    const log = componentLog(definition.name).child({ requestId: requestIdOf(req.headers[REQUEST_ID_HEADER]) });
    admitThen(req, res, log, maxBytes, async (admitted) => {
      const answer = await route.handle(admitted, { db: runtime.db, log });
      sendJson(res, answer.status, answer.body);
    });
  };
  // Each request's span continues the gateway's trace (its `traceparent`).
  const traced = tracedRequests({ continueTrace: true, service: definition.name }, handle);
  const server: Server = listen.tls
    ? createTlsServer({ ...serverOptions(listen.timeouts), cert: listen.tls.cert, key: listen.tls.key }, traced)
    : createServer(serverOptions(listen.timeouts), traced);
  applyTimeouts(server, listen.timeouts);
  const drain = new Drain(server);
  const metricsPort = listen.metrics?.port;
  const metricsListener = metricsPort === undefined ? null : await startMetricsServer(metrics.registry, metricsPort, listen.host ?? '127.0.0.1');
  await new Promise<void>((ok) => server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', ok));
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const scheme = listen.tls ? 'https' : 'http';
  return {
    port,
    url: `${scheme}://${host}:${port}/graphql`,
    metricsUrl: metricsListener ? `http://${host}:${metricsListener.port}${METRICS_PATH}` : `${scheme}://${host}:${port}${METRICS_PATH}`,
    requests: () => drain.requests,
    async close() {
      drain.begin();
      for (const request of inFlight) request.abort();
      await drain.drain(listen.drainMs ?? DEFAULT_DRAIN_MS);
      await apollo.stop();
      await metricsListener?.close();
    },
  };
}

/** Aborted when the response closes before it is finished (the caller went away), or by the server's stop. */
function requestSignal(res: ServerResponse, inFlight: Set<AbortController>): AbortSignal {
  const request = new AbortController();
  inFlight.add(request);
  res.once('close', () => {
    inFlight.delete(request);
    if (!res.writableFinished) request.abort();
  });
  return request.signal;
}

/** `pending`, or a rejection after `ms`. */
function withinMs<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([pending, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * Logs the faults of a request (what `maskInternalError` hides from the client) with the request's id:
 * the path and the error's kind, never its message (SQL parameters) nor the request's variables.
 */
function logFaultsPlugin<L>(service: string, metrics: SubgraphMetrics): ApolloServerPlugin<SubgraphContext<L>> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code && code !== 'INTERNAL_SERVER_ERROR') continue;
            const original = unwrapResolverError(error) as Error & { cause?: unknown };
            const path = error.path?.join('.') ?? '(request)';
            const fault = databaseFault(original);
            metrics.fault(fault ? 'database' : 'internal');
            if (fault) contextValue.log.error({ path, reason: fault.reason }, `${service}: database unavailable: ${fault.message}`);
            else contextValue.log.error({ path, err: errorFields(original?.cause ?? original) }, `${service}: internal error`);
          }
        },
      };
    },
  };
}

/**
 * Errors a resolver raised on purpose carry a code; anything else is a fault of ours and its message
 * (SQL text, stack) must not reach a client: it is answered as "Internal server error" (and logged by
 * `logFaultsPlugin`).
 */
export function maskInternalError(service: string, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const original = unwrapResolverError(error) as Error & { cause?: unknown };
  const fault = databaseFault(original);
  if (fault) {
    return {
      message: `The ${service} service's database is unavailable (${fault.message}); retry shortly.`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'DATABASE_UNAVAILABLE' satisfies ErrorCode, reason: fault.reason satisfies ErrorReason, subgraph: service },
    };
  }
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
