import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GatewayTokenSigner, type Caller } from '../subgraphs/shared/gateway-token.js';
import { sendError, sendJson, serveGraphQL } from '../subgraphs/shared/http.js';
import type { RunningServer, SubgraphName } from '../subgraphs/shared/server.js';
import type { CryptoKey } from 'jose';
import { AuthenticationError, createAuthenticator, type AuthOptions } from './auth.js';
import { countersPlugin, requestedCounters } from './counters.js';
import { createEngine, type GatewayContext } from './engine.js';
import { Policy, type CallerIdentity } from './policy.js';
import type { AuditLog } from './protection/audit.js';
import { attachSubscriptions, refuseSubscriptionsOverHttp, type SubscriptionOptions, type SubscriptionService } from './subscriptions/index.js';
import { TrustedDocumentError, type TrustedDocuments } from './trusted-documents.js';
import { Limits, requestedLimits, type LimitsOptions } from './limits/index.js';
import { apolloCaches } from './limits/caches.js';
import { createIde, IDE_ASSET_PREFIX, wantsIde, type IdeOptions } from './ide/serve.js';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Private key the gateway signs subgraph tokens with. */
  signingKey: CryptoKey;
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
  /** The GraphQL IDE a browser gets at GET /graphql (`false`: none). @default {} // on, no token pre-filled */
  ide?: IdeOptions | false;
  host?: string;
  /** @default 4000 */
  port?: number;
  /** Time a readiness probe waits for each subgraph. @default 2_000 // 2 seconds */
  readinessTimeoutMs?: number;
  /** Tuning of websocket subscriptions (gateway/subscriptions). */
  subscriptions?: Pick<SubscriptionOptions, 'feed' | 'headWaitSeconds' | 'maxMessageBytes'>;
  /** Operation limits, cost budgets (Redis when configured) and socket bounds (gateway/limits). @default {} // the defaults in README "Limits" */
  limits?: LimitsOptions;
}

/** The public entry point: GraphQL over HTTP on /graphql, liveness on /healthz, readiness on /readyz. */
export async function startGateway(options: GatewayOptions): Promise<RunningServer & { subscriptions: SubscriptionService }> {
  const signer = new GatewayTokenSigner(options.signingKey);
  const authenticate = createAuthenticator(options.auth);
  const policy = options.policy ?? new Policy();
  const limits = new Limits(options.limits);
  const caches = apolloCaches();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: createEngine({
      supergraphSdl: options.supergraphSdl,
      subgraphUrls: options.subgraphUrls,
      signer,
      policy,
      audit: options.audit ?? null,
      masking: options.masking,
    }),
    // Register data is per caller and never cacheable: no cache-control policy is computed or sent.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), limits.plugin(), legacyJsonStatusCodes, countersPlugin(), refuseSubscriptionsOverHttp],
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

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      checkReadiness(options.subgraphUrls, options.readinessTimeoutMs ?? 2_000).then((report) =>
        sendJson(res, report.ready ? 200 : 503, { ...report, rateLimiter: limits.budgetStore }),
      );
      return;
    }
    // The IDE page and its assets are public: only the GraphQL requests they make carry a token.
    if (ide && path === '/graphql' && wantsIde(req)) {
      ide.servePage(req, res).catch((err) => {
        console.error('[gateway] IDE page', err);
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (ide && path.startsWith(IDE_ASSET_PREFIX)) return ide.serveAsset(req, res, path);
    if (path !== '/graphql') return sendError(res, 404, 'NOT_FOUND', `No route ${path}; the GraphQL endpoint is /graphql.`);
    authenticate(req.headers.authorization)
      .then(
        (identity) => {
          const caller = applyPolicy(policy, identity, req.headers[PURPOSE_HEADER]);
          const trusted = options.trustedDocuments;
          // Registered documents resolved, then the caller's limits, before Apollo parses anything.
          const prepare = (params: Record<string, unknown>) => {
            const resolved = trusted ? resolveTrusted(trusted, params, caller) : params;
            limits.checkParams(resolved, caller, caches.persistedQuery);
            return resolved;
          };
          return serveGraphQL(apollo, req, res, async () => ({ caller, counters: requestedCounters(req.headers), limits: requestedLimits(req.headers) }), prepare);
        },
        (err) => {
          if (!(err instanceof AuthenticationError)) throw err;
          res.setHeader('www-authenticate', 'Bearer');
          sendError(res, 401, 'UNAUTHENTICATED', err.message);
        },
      )
      .catch((err) => {
        console.error('[gateway]', err);
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
  });
  server.keepAliveTimeout = 65_000;
  const subscriptions = attachSubscriptions(server, { ...options.subscriptions, apollo, supergraphSdl: options.supergraphSdl, authenticate, toCaller: (id, purpose) => applyPolicy(policy, id, purpose), limits });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/graphql`,
    subscriptions,
    async close() {
      await subscriptions.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await apollo.stop();
      await limits.close();
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

/** The caller as subgraphs and masking see it: identity, stated purpose, and what the policy hides. */
export function applyPolicy(policy: Policy, identity: CallerIdentity, purposeHeader?: string | string[]): Caller {
  const stated = typeof purposeHeader === 'string' && purposeHeader.trim() ? purposeHeader.trim() : null;
  const { expiresAt: _expiresAt, ...rest } = identity as CallerIdentity & { expiresAt?: number };
  const caller = { ...rest, purpose: identity.purpose ?? stated };
  return { ...caller, hidden: policy.hiddenFor(caller), hiddenEventTypes: policy.hiddenEventTypesFor(caller) };
}

export interface ReadinessReport {
  ready: boolean;
  subgraphs: Record<string, 'ready' | 'unreachable' | 'database unreachable'>;
}

/** Ready when every subgraph answers its own /readyz, which checks its database. */
async function checkReadiness(urls: Record<string, string>, timeoutMs: number): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, res.ok ? 'ready' : 'database unreachable'] as const;
      } catch {
        return [name, 'unreachable'] as const;
      }
    }),
  );
  return { ready: entries.every(([, s]) => s === 'ready'), subgraphs: Object.fromEntries(entries) };
}
