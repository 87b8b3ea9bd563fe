import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { CryptoKey } from 'jose';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { newCounters, withCounters } from '../../db/metrics.js';
import { COUNTERS_HEADER, reportCountersPlugin } from './counters.js';
import type { CursorCodec } from './cursor.js';
import { GATEWAY_TOKEN_HEADER, verifyGatewayToken, type Caller } from './gateway-token.js';
import { sendError, sendJson, serveGraphQL } from './http.js';
import { ExpiringCache } from './expiring-cache.js';
import { keyValueCache, parsedDocumentBytes, SizedLru } from './sized-lru.js';

/** Parsed documents a subgraph keeps (each distinct client selection gives the subgraphs distinct ones). @default 32_000_000 // 32 MB */
const SUBGRAPH_DOCUMENT_BYTES = 32_000_000;

export const SUBGRAPH_NAMES = ['person', 'family', 'address', 'reserve-id', 'subscription'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** What every resolver of every subgraph gets. Loaders are created per request (DataLoader batching). */
export interface SubgraphContext<L = unknown> {
  db: Db;
  loaders: L;
  caller: Caller;
  cursors: CursorCodec;
}

/** A subgraph: its SDL, resolvers and per-request loaders. Each lives in subgraphs/<name>/. */
export interface SubgraphDefinition<L = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<L>>;
  createLoaders(db: Db): L;
}

/** What a running subgraph needs from its process. */
export interface SubgraphRuntime {
  db: Db;
  /** Public key of the gateway: requests must carry a token it signed. */
  gatewayPublicKey: CryptoKey;
  cursors: CursorCodec;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A subgraph's SDL: its own `schema.graphql` after the shared definition of `@protected`. */
export function loadSchema(moduleUrl: string | URL): DocumentNode {
  return parse(protectionSdl + readFileSync(new URL('./schema.graphql', moduleUrl), 'utf8'));
}
const protectionSdl = readFileSync(new URL('./protection.graphql', import.meta.url), 'utf8');

export function defineSubgraph<L>(definition: SubgraphDefinition<L>): SubgraphDefinition<L> {
  return definition;
}

/**
 * Starts a subgraph's HTTP server: POST/GET /graphql (gateway token required), GET /healthz, GET /readyz
 * (database reachable). Port 0 picks a free port.
 */
export async function startSubgraph<L>(
  definition: SubgraphDefinition<L>,
  runtime: SubgraphRuntime,
  listen: { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const apollo = new ApolloServer<SubgraphContext<L>>({
    schema: buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: definition.resolvers as GraphQLResolverMap<unknown> }),
    // Traces are for Apollo's hosted reporting, which we do not use; cache hints are computed by wrapping
    // every field resolver, and register data is never cacheable. Both cost CPU on every request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), reportCountersPlugin()],
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown (close servers, then the database); Apollo's own signal handlers race it.
    stopOnTerminationSignals: false,
    csrfPrevention: false,
    formatError: (formatted, error) => maskInternalError(definition.name, formatted, error),
    // The gateway's plans carry its clients' selections here: parsed documents bounded by bytes, as at the gateway.
    documentStore: keyValueCache(new SizedLru<DocumentNode>({ maxBytes: SUBGRAPH_DOCUMENT_BYTES, sizeOf: parsedDocumentBytes })),
  });
  await apollo.start();
  const callers = new VerifiedTokenCache(runtime.gatewayPublicKey);

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: definition.name });
    if (path === '/readyz') {
      runtime.db
        .execute(sql`select 1`)
        .then(() => sendJson(res, 200, { status: 'ready', subgraph: definition.name }))
        .catch(() => sendJson(res, 503, { status: 'database unreachable', subgraph: definition.name }));
      return;
    }
    if (path !== '/graphql') return sendError(res, 404, 'NOT_FOUND', `No route ${path}; the GraphQL endpoint is /graphql.`);
    const token = req.headers[GATEWAY_TOKEN_HEADER];
    if (typeof token !== 'string') {
      return sendError(res, 401, 'UNAUTHENTICATED', 'Subgraphs answer only the folkreg gateway; send your request to the gateway.');
    }
    const serve = (caller: Caller) =>
      serveGraphQL(apollo, req, res, async () => ({ db: runtime.db, loaders: definition.createLoaders(runtime.db), caller, cursors: runtime.cursors }));
    callers
      .verify(token)
      .then(
        // Per-request counting needs async context tracking, which taxes every promise: only when asked.
        (caller) => (req.headers[COUNTERS_HEADER] === '1' ? withCounters(newCounters(), () => serve(caller)) : serve(caller)),
        () => sendError(res, 401, 'UNAUTHENTICATED', 'Invalid or expired gateway token; subgraphs answer only the folkreg gateway.'),
      )
      .catch((err) => {
        console.error(`[${definition.name}]`, err);
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok) => server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', ok));
  const { port, address } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await apollo.stop();
    },
  };
}

/** Verifying an Ed25519 signature per request is avoidable: the gateway reuses its token for 30 s. */
class VerifiedTokenCache {
  private cache = new ExpiringCache<string, Caller>(1_000);
  constructor(private readonly key: CryptoKey) {}

  async verify(token: string): Promise<Caller> {
    const hit = this.cache.get(token);
    if (hit) return hit;
    const caller = await verifyGatewayToken(token, this.key);
    // Well inside the token's own expiry (the gateway renews at half-life).
    this.cache.set(token, caller, Date.now() + 20_000);
    return caller;
  }
}

/**
 * Errors a resolver raised on purpose carry a code; anything else is a fault of ours and its message
 * (SQL text, stack) must not reach a client. It is logged here and answered as "Internal server error".
 */
export function maskInternalError(service: string, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const original = unwrapResolverError(error) as Error & { cause?: unknown };
  console.error(`[${service}] internal error at ${formatted.path?.join('.') ?? '(request)'}:`, original?.cause ?? original);
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
