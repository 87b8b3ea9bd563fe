/**
 * One benchmark process, started by `run.ts` with an IPC channel: the five subgraphs, a folkreg gateway
 * (masking on or off) or Hive Gateway. Each runs alone so its CPU time per request can be read from
 * /proc. Sends `{ url }` or `{ urls }` once listening; answers `stats` with the subgraph counters; stops
 * on `stop` or when the parent goes away.
 */
import { readFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { openDatabase, type Database } from '../../db/client.js';
import { totals } from '../../kernel/cost-counters.js';
import type { AuthOptions } from '../../gateway/auth.js';
import { databaseAuditLog } from '../../gateway/protection/audit.js';
import { startGateway } from '../../gateway/server.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { subgraphs } from '../../subgraphs/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { GATEWAY_TOKEN_HEADER, GatewayTokenSigner, importGatewayKey } from '../../kernel/gateway-token.js';
import { type Caller } from '../../kernel/caller.js';
import { startSubgraph } from '../../subgraphs/shared/server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../kernel/subgraph-names.js';

/** What the parent hands every child (a JSON file named by the environment variable BENCH_CONFIG_FILE). */
export interface ServeConfig {
  /** `hive-rust`: Hive Gateway with its Rust query planner (`@graphql-hive/router-runtime`). */
  role: 'subgraphs' | 'folkreg' | 'folkreg-unmasked' | 'hive' | 'hive-rust';
  databaseUrl?: string;
  cursorSecret: string;
  gatewayPrivateJwk: JWK;
  gatewayPublicJwk: JWK;
  auth: AuthOptions;
  supergraphSdl: string;
  subgraphUrls?: Record<SubgraphName, string>;
  /** Hive only: the benchmark's fixed caller, for whom it signs a gateway token per fetch. */
  benchCaller?: Caller;
  /**
   * folkreg's limits: `bench` (the default) keeps the operation limits but no cost budgets and no bound
   * on sockets per client (the load comes from one client: 16 workers, or 10,000 sockets); `overload`
   * is the product's defaults, with the benchmark's normal client exempt from budgets and the attacker's
   * budget 20,000 a minute (so a 5-second run shows its 429s; the default 300,000 would take longer).
   */
  limits?: 'bench' | 'overload';
}

export type ServeMessage = { url: string } | { urls: Record<SubgraphName, string> } | { stats: SubgraphStats } | { subscriptions: GatewaySubscriptionStats };

/** A folkreg gateway's websocket subscriptions and memory, after a full GC (answer to `subscriptions`). */
export interface GatewaySubscriptionStats {
  subscribers: number;
  feeds: number;
  batches: number;
  batchRuns: number;
  tapReads: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** Counted in the subgraphs' process, so they cover every gateway alike (Hive sends no counters header). */
export interface SubgraphStats {
  fetches: number;
  sqlStatements: number;
}

/** Starts the subgraphs in this process; `stats()` reads the requests they served and SQL they ran. */
export async function serveSubgraphs(database: Database, config: ServeConfig) {
  let fetches = 0;
  subscribe('http.server.request.start', (message) => {
    if ((message as { request: { url?: string } }).request.url?.startsWith('/graphql')) fetches++;
  });
  const runtime = {
    db: database.db,
    gatewayPublicKey: await importGatewayKey(config.gatewayPublicJwk),
    cursors: new CursorCodec(Buffer.from(config.cursorSecret, 'base64')),
  };
  const started = await Promise.all(SUBGRAPH_NAMES.map((name) => startSubgraph(subgraphs[name], runtime, { host: '127.0.0.1', port: 0 })));
  return {
    urls: Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, started[i]!.url])) as Record<SubgraphName, string>,
    stats: (): SubgraphStats => ({ fetches, sqlStatements: totals.sqlStatements }),
    close: () => Promise.all(started.map((s) => s.close())),
  };
}

/**
 * Hive Gateway on folkreg's supergraph, in front of folkreg's subgraphs, as a plain Node HTTP server;
 * `rustPlanner`: planning and execution by `@graphql-hive/router-runtime` (the Rust query planner).
 */
async function serveHive(config: ServeConfig, rustPlanner: boolean) {
  // Loaded only here: it is the heaviest import, and the other processes do not need it.
  const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
  const { default: httpTransport } = await import('@graphql-mesh/transport-http');
  const unifiedGraphHandler = rustPlanner ? (await import('@graphql-hive/router-runtime')).unifiedGraphHandler : undefined;
  let sdl = config.supergraphSdl;
  const signer = new GatewayTokenSigner(await importGatewayKey(config.gatewayPrivateJwk));
  const subgraphByUrl = new Map(Object.entries(config.subgraphUrls!).map(([name, url]) => [url, name]));
  // The committed supergraph names placeholder hosts; point each at the running subgraph.
  for (const [name, url] of Object.entries(config.subgraphUrls!)) sdl = sdl.replaceAll(`http://${name}.subgraph.folkreg.invalid/graphql`, url);
  const runtime = createGatewayRuntime({
    supergraph: sdl,
    transports: { http: httpTransport },
    ...(unifiedGraphHandler ? { unifiedGraphHandler } : {}),
    // Benchmark-only way past the subgraphs' token check: a token per fetch for a fixed reader, signed
    // with the gateway key for that subgraph and body, as folkreg's gateway does.
    plugins: () => [
      {
        onFetch({ url, options, setOptions }) {
          const subgraph = subgraphByUrl.get(url);
          if (!subgraph || typeof options.body !== 'string') return;
          const headers = {
            ...(options.headers as Record<string, string>),
            [GATEWAY_TOKEN_HEADER]: signer.tokenFor(config.benchCaller!, subgraph, options.body),
          };
          setOptions({ ...options, headers });
        },
      },
    ],
    logging: false,
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
}

async function main(config: ServeConfig) {
  const database =
    config.databaseUrl && config.role !== 'hive' && config.role !== 'hive-rust'
      ? await openDatabase({ url: config.databaseUrl, maxConnections: 20 })
      : undefined;
  let close: () => Promise<unknown>;
  if (config.role === 'subgraphs') {
    const running = await serveSubgraphs(database!, config);
    close = running.close;
    process.on('message', (m) => m === 'stats' && process.send!({ stats: running.stats() } satisfies ServeMessage));
    process.send!({ urls: running.urls } satisfies ServeMessage);
  } else if (config.role === 'hive' || config.role === 'hive-rust') {
    const running = await serveHive(config, config.role === 'hive-rust');
    close = running.close;
    process.send!({ url: running.url } satisfies ServeMessage);
  } else {
    const masking = config.role === 'folkreg';
    const running = await startGateway({
      supergraphSdl: config.supergraphSdl,
      subgraphUrls: config.subgraphUrls!,
      signingKey: await importGatewayKey(config.gatewayPrivateJwk),
      auth: config.auth,
      // As the stack: audit whenever masking is on and there is a database to write it to.
      audit: masking && database ? databaseAuditLog(database.db) : null,
      masking,
      // The bench runs with NODE_ENV=production, as a deployment would (the launchers do the same).
      introspection: process.env.NODE_ENV !== 'production',
      port: 0,
      limits: {
        config:
          config.limits === 'overload'
            ? parseLimitsConfig({ clients: { 'folkreg-bench': { costPerMinute: 0 }, 'attacker-app': { costPerMinute: 20_000 } } })
            : parseLimitsConfig({ defaults: { costPerMinute: 0 }, sockets: { maxSocketsPerClient: 1_000_000 } }),
      },
      // A/B of grouped batch reads: BENCH_SUBS_MAX_GROUP=1 reads each feed's batch with a run of its own.
      ...(process.env.BENCH_SUBS_MAX_GROUP ? { subscriptions: { feed: { maxGroup: Number(process.env.BENCH_SUBS_MAX_GROUP) } } } : {}),
    });
    close = running.close;
    process.on('message', (m) => {
      if (m !== 'subscriptions') return;
      // run.ts forks with --expose-gc, so memory is read without garbage waiting to be collected.
      (globalThis as { gc?: () => void }).gc?.();
      const { feeds, subscribers, batches, batchRuns, tapReads } = running.subscriptions.stats();
      const { rss, heapUsed } = process.memoryUsage();
      process.send!({
        subscriptions: { subscribers, feeds: feeds.length, batches, batchRuns, tapReads, rssBytes: rss, heapUsedBytes: heapUsed },
      } satisfies ServeMessage);
    });
    process.send!({ url: running.url } satisfies ServeMessage);
  }
  const stop = async () => {
    // Bounded: a close takes well under a second (the head long-poll is aborted), but the parent kills
    // what has not exited after 10 s, losing the CPU profile that `process.exit` writes.
    const bounded = (p: Promise<unknown>) => Promise.race([p, new Promise((ok) => setTimeout(ok, 3_000).unref())]);
    await bounded(close());
    await bounded(database?.close() ?? Promise.resolve());
    process.exit(0);
  };
  process.on('message', (m) => m === 'stop' && void stop());
  process.on('disconnect', () => void stop());
}

if (process.env.BENCH_CONFIG_FILE) await main(JSON.parse(readFileSync(process.env.BENCH_CONFIG_FILE, 'utf8')) as ServeConfig);
