import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GatewayTokenSigner } from '../kernel/gateway-token.js';
import { type Caller } from '../kernel/caller.js';
import { sendError, sendJson, serveGraphQL } from '../kernel/http.js';
import type { RunningServer } from '../kernel/lifecycle.js';
import type { SubgraphName } from '../kernel/subgraph-names.js';
import type { CryptoKey } from 'jose';
import { AuthenticationError, createAuthenticator, type AuthOptions } from './auth.js';
import { Authorization, authorizationPlugin, expandScopes } from './authorization.js';
import { hideSuggestions } from './suggestions.js';
import { countersPlugin, requestedCounters } from './counters.js';
import { createEngine, type GatewayContext } from './engine.js';
import type { SubgraphTlsOptions } from './subgraph-client.js';
import { Policy, type CallerIdentity } from './policy.js';
import type { AuditLog } from './protection/audit.js';
import { attachSubscriptions, refuseSubscriptionsOverHttp, type SubscriptionOptions, type SubscriptionService } from './websocket/index.js';
import { TrustedDocumentError, type TrustedDocuments } from './trusted-documents.js';
import { Limits, requestedLimits, type LimitsOptions } from './limits/index.js';
import { apolloCaches } from './limits/caches.js';
import { createIde, IDE_ASSET_PREFIX, wantsIde, type IdeOptions } from './ide/serve.js';
import { createAdmin, type AdminOptions } from './admin/serve.js';
import { applyTimeouts, DEFAULT_DRAIN_MS, Drain, serverOptions, type ConnectionTimeouts } from '../kernel/lifecycle.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestDeadline, type TimeBoundOptions } from './time-bounds.js';
import { LoadShedder, type LoadSheddingOptions } from './load-shedding.js';
import { outageStatusPlugin } from './outage-status.js';
import { componentLog, errorFields, REQUEST_ID_HEADER, requestIdOf } from '../kernel/log.js';
import { METRICS_PATH, serveMetrics, startMetricsServer, type MetricsListenOptions } from '../kernel/metrics.js';
import { GatewayMetrics } from './metrics.js';
import { ingestRoute } from './ingest.js';
import { INGEST_PATHS } from '../kernel/ingest-route.js';
import { activeTraceId, tracedRequests } from '../kernel/tracing.js';
import { logWhenFinished, recordResponse, type RequestRecord } from './request-log.js';
import { startWebhooks, type WebhookOptions, type WebhookService } from './webhooks/index.js';
import { gatewayHead } from './websocket/head.js';
import { pipelineRunner } from './websocket/pipeline.js';
import { startDelivery, type Delivery, type DeliveryOptions } from './files/index.js';

const log = componentLog('gateway');

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Private key the gateway signs subgraph tokens with. */
  signingKey: CryptoKey;
  /** Trust for https subgraph URLs (`SUBGRAPH_CA_FILE`). @default {} // Node's trusted roots */
  subgraphTls?: SubgraphTlsOptions;
  /** How callers' JWTs are verified; every GraphQL operation needs one. */
  auth: AuthOptions;
  /** The protected-identity policy. @default the built-in table (`DEFAULT_POLICY`) */
  policy?: Policy;
  /** Durable record of releases to entitled callers; without it, entitled callers get nothing more. */
  audit?: AuditLog | null;
  /** Protected-identity masking; off only in the benchmark's comparison runs. @default true */
  masking?: boolean;
  /** Registered operations, and which clients may send only those. */
  trustedDocuments?: TrustedDocuments | null;
  /**
   * Schema introspection. Off, error messages also lose their "Did you mean …" suggestions (field,
   * argument, enum value and input field names), on HTTP and websocket alike.
   * @default true // the launchers pass `false` when NODE_ENV is production
   */
  introspection?: boolean;
  /** The GraphQL IDE a browser gets at GET /graphql (`false`: none). @default {} // on, no token pre-filled */
  ide?: IdeOptions | false;
  /** The administration UI at /admin (gateway/admin). @default undefined // none */
  admin?: AdminOptions | false;
  host?: string;
  /** @default 4000 */
  port?: number;
  /** Time a readiness probe waits for each subgraph. @default 2_000 // 2 seconds */
  readinessTimeoutMs?: number;
  /**
   * What `/readyz` requires (GATEWAY_READINESS, README "Readiness"): `degraded`, that the gateway is not
   * draining and reaches at least one subgraph (one that is down leaves its fields null with
   * SUBGRAPH_UNAVAILABLE); `all-subgraphs`, that every subgraph is ready.
   * @default 'degraded' // one subgraph out must not take every replica out of the Service at once
   */
  readiness?: ReadinessMode;
  /** Tuning of websocket subscriptions (gateway/websocket). */
  subscriptions?: Pick<SubscriptionOptions, 'feed' | 'headWaitSeconds' | 'maxMessageBytes'>;
  /** Request deadline and subgraph fetch bound (gateway/time-bounds.ts). */
  timeBounds?: TimeBoundOptions;
  /** Bounds on slow and idle client connections (subgraphs/shared/lifecycle.ts). */
  timeouts?: ConnectionTimeouts;
  /** Time in-flight requests get to finish at `close()`. @default 10_000 // 10 seconds */
  drainMs?: number;
  /** Shedding GraphQL requests while the event loop lags (`false`: never). @default {} // on, 1 s delay */
  loadShedding?: LoadSheddingOptions | false;
  /** Operation limits, cost budgets (Redis when configured) and socket bounds (gateway/limits). @default {} // the defaults in README "Limits" */
  limits?: LimitsOptions;
  /** Where `/metrics` is served (README "Metrics"). @default {} // on the gateway's port */
  metrics?: MetricsListenOptions;
  /** The webhook delivery worker (gateway/webhooks; `false`: this gateway delivers none). @default {} // on, `WEBHOOK_DEFAULTS` */
  webhooks?: Partial<WebhookOptions> | false;
  /** Base extracts and notification files (README "Delivery"); without a database for them, those routes are 404. */
  files?: DeliveryOptions | null;
  /** The largest file `POST /ingest/cpr` and `/ingest/ndjson` take, else 413 PAYLOAD_TOO_LARGE (INGEST_MAX_BYTES). @default INGEST_MAX_BYTES // 128 MiB */
  ingestMaxBytes?: number;
}

/** What `startGateway` returns: the server, its subscriptions and its load shedder. */
export interface RunningGateway extends RunningServer {
  subscriptions: SubscriptionService;
  /** The webhook delivery worker; null when switched off. */
  webhooks: WebhookService | null;
  loadShedding: LoadShedder | null;
  /** In-flight HTTP requests (tests wait on this). */
  requests(): number;
  /** Where Prometheus scrapes the gateway: its own port, or METRICS_PORT's listener. */
  metricsUrl: string;
}

/** The public entry point: GraphQL over HTTP on /graphql, liveness on /healthz, readiness on /readyz. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const signer = new GatewayTokenSigner(options.signingKey);
  // Readiness probes trust the subgraphs' CA like the fetches do.
  const readinessAgent = new Agent(options.subgraphTls?.ca ? { connect: { ca: options.subgraphTls.ca } } : {});
  const authenticate = createAuthenticator(options.auth);
  const policy = options.policy ?? new Policy();
  // Reads the scope declarations of every root field (fail-closed) before anything else starts.
  const authorization = new Authorization(options.supergraphSdl);
  const supergraphSdl = authorization.engineSupergraphSdl;
  const introspection = options.introspection ?? true;
  const metrics = new GatewayMetrics({ registeredOperations: options.trustedDocuments?.operationNames() });
  const limits = new Limits({ ...options.limits, refused: metrics.limitRefused });
  const caches = apolloCaches();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: createEngine({
      supergraphSdl,
      subgraphUrls: options.subgraphUrls,
      signer,
      subgraphTls: options.subgraphTls,
      policy,
      audit: options.audit ?? null,
      masking: options.masking,
      subgraphTimeoutMs: options.timeBounds?.subgraphTimeoutMs,
      metrics,
    }),
    // Register data is per caller and never cacheable: no cache-control policy is computed or sent.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      limits.plugin(),
      legacyJsonStatusCodes,
      countersPlugin(),
      refuseSubscriptionsOverHttp,
      outageStatusPlugin,
      authorizationPlugin(authorization),
      // Times the operation and counts its errors, and fills the request's log record, in one plugin.
      metrics.plugin(recordResponse),
    ],
    introspection,
    formatError: introspection ? undefined : hideSuggestions,
    // Parsed documents and APQ texts, keyed by what clients send: bounded by estimated bytes (gateway/limits/caches.ts).
    ...caches.options,
    includeStacktraceInErrorResponses: false,
    // CSRF prevention guards cookie-authenticated servers; every operation here needs a bearer token,
    // which a browser never attaches on its own, so plain GET queries (GraphQL over HTTP) are allowed.
    csrfPrevention: false,
    // The process owns shutdown (close servers, then the database); Apollo's own signal handlers race it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const ide = options.ide === false ? null : createIde(options.ide);
  const admin = options.admin ? createAdmin(options.admin) : null;
  const shedder = options.loadShedding === false ? null : new LoadShedder(options.loadShedding);
  const requestTimeoutMs = options.timeBounds?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const metricsPort = options.metrics?.port;
  const metricsListener = metricsPort === undefined ? null : await startMetricsServer(metrics.registry, metricsPort, options.host ?? '127.0.0.1');

  // Extracts and files read through this same pipeline as their owner: scopes, masking and audit as for a query.
  const delivery: Delivery | null = options.files
    ? startDelivery(
        options.files,
        async (query, variables, caller, operationName) => {
          const response = await apollo.executeOperation(
            { query, variables, operationName },
            { contextValue: { caller, requestId: `delivery-${operationName}` } },
          );
          if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the gateway');
          return response.body.singleResult;
        },
        (identity) => applyPolicy(policy, identity, undefined),
      )
    : null;

  const ingests = new Map(
    INGEST_PATHS.map((path) => [
      path,
      ingestRoute({
        authenticate,
        toCaller: (identity, purpose) => applyPolicy(policy, identity, purpose),
        signer,
        personUrl: options.subgraphUrls.person,
        path,
        subgraphTls: options.subgraphTls,
        maxBytes: options.ingestMaxBytes,
        log: log.child({ route: path }),
      }),
    ]),
  );
  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    metrics.http.observe(req, path, res);
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    // Like the probes: never shed, no token (a separate listener when METRICS_PORT keeps it off the public port).
    if (path === METRICS_PATH && !metricsListener) return serveMetrics(metrics.registry, req, res);
    // Every answer but the probes' carries the request's id; its log lines too (never the body or a caller).
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    const traceId = activeTraceId();
    // Its lines carry these; fields rather than a pino child per request, which cost more than the line.
    const ids = traceId ? { requestId, traceId } : { requestId };
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (path === '/readyz') {
      if (drain.draining) return sendJson(res, 503, { ready: false, draining: true, subgraphs: {} } satisfies ReadinessReport);
      checkReadiness(options.subgraphUrls, options.readinessTimeoutMs ?? 2_000, readinessAgent, options.readiness ?? 'degraded').then((report) =>
        sendJson(res, report.ready ? 200 : 503, { ...report, rateLimiter: limits.budgetStore }),
      );
      return;
    }
    // The IDE page and its assets are public: only the GraphQL requests they make carry a token.
    if (ide && path === '/graphql' && wantsIde(req)) {
      ide.servePage(req, res).catch((err) => {
        log.error({ ...ids, err: errorFields(err) }, 'IDE page failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (ide && path.startsWith(IDE_ASSET_PREFIX)) return ide.serveAsset(req, res, path);
    // The administration UI's page, assets and sign-in configuration are public like the IDE's.
    if (admin?.owns(path)) {
      admin.serve(req, res, path).catch((err) => {
        log.error({ ...ids, err: errorFields(err) }, 'admin page failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    const ingest = ingests.get(path);
    if (ingest) {
      ingest(req, res, requestId).catch((err) => {
        log.error({ ...ids, err: errorFields(err) }, 'ingest failed');
        metrics.error('INTERNAL_SERVER_ERROR');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (delivery?.handles(path)) {
      if (shedder?.refuse(res)) return metrics.error('OVERLOADED');
      authenticate(req.headers.authorization)
        .then(
          (identity) => delivery.serve(req, res, path, applyPolicy(policy, identity, req.headers[PURPOSE_HEADER])),
          (err) => {
            if (!(err instanceof AuthenticationError)) throw err;
            res.setHeader('www-authenticate', 'Bearer');
            sendError(res, 401, 'UNAUTHENTICATED', err.message);
          },
        )
        .catch((err) => {
          log.error({ ...ids, err: errorFields(err) }, 'delivery request failed');
          if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
          else res.destroy();
        });
      return;
    }
    if (path !== '/graphql') return sendError(res, 404, 'NOT_FOUND', `No route ${path}; the GraphQL endpoint is /graphql.`);
    const record: RequestRecord = { codes: new Set() };
    logWhenFinished(log, ids, req, res, record);
    if (shedder?.refuse(res)) {
      record.codes.add('OVERLOADED');
      return metrics.error('OVERLOADED');
    }
    authenticate(req.headers.authorization)
      .then(
        (identity) => {
          const caller = applyPolicy(policy, identity, req.headers[PURPOSE_HEADER]);
          if (caller.client) record.client = caller.client;
          const trusted = options.trustedDocuments;
          // Registered documents resolved, then the caller's limits, before Apollo parses anything.
          // The request's limit state: `checkParams` charges its floor, the plugin the rest once priced.
          const limitState = requestedLimits(req.headers);
          const prepare = async (params: Record<string, unknown>) => {
            try {
              const resolved = trusted ? resolveTrusted(trusted, params, caller) : params;
              await limits.checkParams(resolved, caller, caches.persistedQuery, limitState);
              return resolved;
            } catch (err) {
              metrics.error((err as { code?: unknown }).code); // refused before Apollo sees it: not in the plugin's count
              record.codes.add(String((err as { code?: unknown }).code ?? 'BAD_REQUEST'));
              throw err;
            }
          };
          const bounds = requestDeadline(req, res, requestTimeoutMs);
          return serveGraphQL(
            apollo,
            req,
            res,
            async () => ({ caller, requestId, record, counters: requestedCounters(req.headers), limits: limitState, ...bounds }),
            prepare,
          );
        },
        (err) => {
          if (!(err instanceof AuthenticationError)) throw err;
          res.setHeader('www-authenticate', 'Bearer');
          metrics.error('UNAUTHENTICATED');
          record.codes.add('UNAUTHENTICATED');
          sendError(res, 401, 'UNAUTHENTICATED', err.message);
        },
      )
      .catch((err) => {
        log.error({ ...ids, err: errorFields(err) }, 'request failed');
        metrics.error('INTERNAL_SERVER_ERROR');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
  };
  // A span per GraphQL request, the root of its trace: a client's own `traceparent` is not continued (README "Tracing").
  const server: Server = createServer(serverOptions(options.timeouts), tracedRequests({ continueTrace: false, service: 'gateway' }, handleRequest));
  applyTimeouts(server, options.timeouts);
  const drain = new Drain(server);
  // One head long-poll per gateway: the websocket tap and the webhook worker both wake on it.
  const head = gatewayHead(pipelineRunner(apollo), (id, purpose) => applyPolicy(policy, id, purpose), options.subscriptions?.headWaitSeconds);
  const subscriptions = attachSubscriptions(server, {
    ...options.subscriptions,
    head,
    eventSent: metrics.eventSent,
    apollo,
    supergraphSdl,
    authenticate,
    toCaller: (id, purpose) => applyPolicy(policy, id, purpose),
    authorization,
    trustedDocuments: options.trustedDocuments ?? null,
    hideSuggestions: !introspection,
    limits,
  });
  metrics.watchSubscriptions(() => subscriptions.stats());
  const webhooks =
    options.webhooks === false
      ? null
      : startWebhooks(
          {
            apollo,
            supergraphSdl,
            subscriptionUrl: options.subgraphUrls.subscription,
            signer,
            subgraphTls: options.subgraphTls,
            subgraphTimeoutMs: options.timeBounds?.subgraphTimeoutMs,
            toCaller: (id, purpose) => applyPolicy(policy, id, purpose),
            authorization,
            limits,
            hideSuggestions: !introspection,
            registry: metrics.registry,
            head,
          },
          options.webhooks,
        );
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => ok());
  });
  shedder?.restart();
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    port,
    url: `http://${host}:${port}/graphql`,
    metricsUrl: `http://${host}:${metricsListener?.port ?? port}${METRICS_PATH}`,
    subscriptions,
    webhooks,
    loadShedding: shedder,
    requests: () => drain.requests,
    // Readiness false and no new connections at once; websockets closed with 1012 while HTTP requests finish.
    async close() {
      drain.begin();
      await Promise.all([subscriptions.close(), webhooks?.stop(), drain.drain(options.drainMs ?? DEFAULT_DRAIN_MS), delivery?.close()]);
      // After both of its users: stopped earlier, its waiters would wake at once (the worker's loop spun).
      await head.stop();
      shedder?.close();
      await apollo.stop();
      await readinessAgent.close();
      await limits.close();
      await metricsListener?.close();
    },
  };
}

/**
 * GraphQL over HTTP: a client that accepts only `application/json` (not the newer
 * `application/graphql-response+json`) should get 200 for a document it sent that does not parse,
 * validate or coerce — the error is in the body. Apollo Server answers 400 to everyone.
 */
const REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
const legacyJsonStatusCodes: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ request }) {
    if (request.http?.headers.get('accept')?.includes('application/graphql-response+json')) return;
    return {
      async willSendResponse({ response }) {
        const body = response.body;
        if (response.http.status !== 400 || body.kind !== 'single' || body.singleResult.data !== undefined) return;
        if (body.singleResult.errors?.every((e) => REQUEST_ERRORS.has(String(e.extensions?.code)))) response.http.status = 200;
      },
    };
  },
};

function resolveTrusted(trusted: TrustedDocuments, params: Record<string, unknown>, caller: Caller): Record<string, unknown> {
  try {
    return trusted.resolve(params, caller);
  } catch (err) {
    if (err instanceof TrustedDocumentError) throw Object.assign(new Error(err.message), { status: 400, code: err.code });
    throw err;
  }
}

/** Header an entitled caller states its purpose in, when its token has no purpose claim. */
export const PURPOSE_HEADER = 'folkreg-purpose';

/** The caller as subgraphs and masking see it: identity (scope bundles expanded), stated purpose, and what the policy hides. */
export function applyPolicy(policy: Policy, identity: CallerIdentity, purposeHeader?: string | string[]): Caller {
  const stated = typeof purposeHeader === 'string' && purposeHeader.trim() ? purposeHeader.trim() : null;
  const { expiresAt: _expiresAt, ...rest } = identity as CallerIdentity & { expiresAt?: number };
  const caller = { ...rest, scopes: expandScopes(identity.scopes), purpose: identity.purpose ?? stated };
  return { ...caller, hidden: policy.hiddenFor(caller), hiddenEventTypes: policy.hiddenEventTypesFor(caller) };
}

/** What the gateway's `/readyz` requires (`GatewayOptions.readiness`). */
export type ReadinessMode = 'degraded' | 'all-subgraphs';

export interface ReadinessReport {
  ready: boolean;
  /** Set while the gateway stops (SIGTERM): not ready, whatever the subgraphs say. */
  draining?: boolean;
  /** Ready, but some subgraph is not: their fields are answered with errors (mode `degraded`). */
  degraded?: boolean;
  subgraphs: Record<string, 'ready' | 'unreachable' | 'database unreachable'>;
}

/**
 * Asks every subgraph's /readyz (which checks its database). `all-subgraphs`: ready when all are.
 * `degraded`: ready when at least one answers at all, ready or not — what no subgraph answers is this
 * replica's own fault (its network), which another replica may not share; a subgraph that is down is
 * every replica's, and taking them all out of the Service would answer nothing instead of part.
 */
async function checkReadiness(urls: Record<string, string>, timeoutMs: number, dispatcher: Agent, mode: ReadinessMode): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await request(new URL('/readyz', url), { dispatcher, signal: AbortSignal.timeout(timeoutMs) });
        await res.body.dump();
        return [name, res.statusCode === 200 ? 'ready' : 'database unreachable'] as const;
      } catch {
        return [name, 'unreachable'] as const;
      }
    }),
  );
  const subgraphs = Object.fromEntries(entries);
  const all = entries.every(([, s]) => s === 'ready');
  if (mode === 'all-subgraphs' || all) return { ready: all, subgraphs };
  return { ready: entries.some(([, s]) => s !== 'unreachable'), degraded: true, subgraphs };
}
