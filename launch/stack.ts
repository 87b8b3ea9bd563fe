import type { Db } from '../db/client.js';
import { subgraphs } from '../subgraphs/index.js';
import { CursorCodec } from '../subgraphs/shared/cursor.js';
import type { StackSecrets } from '../kernel/secrets.js';
import { startSubgraph } from '../subgraphs/shared/server.js';
import { type RunningServer } from '../kernel/lifecycle.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/subgraph-names.js';
import type { AuthOptions } from '../gateway/auth.js';
import type { Policy } from '../gateway/policy.js';
import { databaseAuditLog } from '../gateway/protection/audit.js';
import type { TrustedDocuments } from '../gateway/trusted-documents.js';
import { startGateway, type GatewayOptions } from '../gateway/server.js';
import type { IdeOptions } from '../gateway/ide/serve.js';

export interface StackOptions {
  db: Db;
  secrets: StackSecrets;
  supergraphSdl: string;
  auth: AuthOptions;
  /** @default the built-in protection policy */
  policy?: Policy;
  /** Protected-identity masking; off only in the benchmark's comparison runs. @default true */
  masking?: boolean;
  /** Registered operations, and which clients may send only those. */
  trustedDocuments?: TrustedDocuments | null;
  /** Schema introspection (off also hides "Did you mean" suggestions). @default true // the launchers pass `false` when NODE_ENV is production */
  introspection?: boolean;
  /** The GraphQL IDE at GET /graphql; only the development stack pre-fills a token. @default {} */
  ide?: IdeOptions | false;
  host?: string;
  /** Gateway port; 0 picks a free one. Subgraphs always take free ports, so two stacks never collide. */
  port?: number;
  /** Tuning of websocket subscriptions (buffer sizes, batch size). */
  subscriptions?: GatewayOptions['subscriptions'];
  /** Request deadline and subgraph fetch bound of the gateway. */
  timeBounds?: GatewayOptions['timeBounds'];
  /** Bounds on slow and idle connections, for the gateway and the subgraphs alike. */
  timeouts?: GatewayOptions['timeouts'];
  /** Time in-flight requests get to finish at `close()`, per server. @default 10_000 // 10 seconds */
  drainMs?: number;
  /** The gateway's load shedding. @default {} // on */
  loadShedding?: GatewayOptions['loadShedding'];
  /** Subgraphs over HTTPS with this certificate and key; the gateway trusts `ca` for them. @default plain HTTP on loopback */
  subgraphTls?: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
  /** Operation limits, cost budgets and socket bounds. @default the defaults (README "Limits") */
  limits?: GatewayOptions['limits'];
  /** Where the gateway serves `/metrics` (the subgraphs serve theirs on their own ports). @default {} // the gateway's port */
  metrics?: GatewayOptions['metrics'];
}

export interface RunningStack {
  gateway: Awaited<ReturnType<typeof startGateway>>;
  subgraphs: Record<SubgraphName, RunningServer>;
  close(): Promise<void>;
}

/**
 * The whole product in one process: five subgraph servers on free loopback ports and the gateway in
 * front. `npm start` and the end-to-end tests run exactly this.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const runtime = {
    db: options.db,
    gatewayPublicKey: options.secrets.gatewayKeys.publicKey,
    cursors: new CursorCodec(options.secrets.cursorSecret),
  };
  const started = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      startSubgraph(subgraphs[name], runtime, { host: '127.0.0.1', port: 0, timeouts: options.timeouts, drainMs: options.drainMs, tls: options.subgraphTls }),
    ),
  );
  const running = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, started[i]!])) as Record<SubgraphName, RunningServer>;
  const gateway = await startGateway({
    supergraphSdl: options.supergraphSdl,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, running[name].url])) as Record<SubgraphName, string>,
    signingKey: options.secrets.gatewayKeys.privateKey,
    subgraphTls: options.subgraphTls ? { ca: options.subgraphTls.ca } : {},
    auth: options.auth,
    policy: options.policy,
    audit: databaseAuditLog(options.db),
    masking: options.masking,
    trustedDocuments: options.trustedDocuments,
    ide: options.ide,
    introspection: options.introspection,
    host,
    port: options.port ?? 4000,
    subscriptions: options.subscriptions,
    timeBounds: options.timeBounds,
    timeouts: options.timeouts,
    drainMs: options.drainMs,
    loadShedding: options.loadShedding,
    limits: options.limits,
    metrics: options.metrics,
  });
  return {
    gateway,
    subgraphs: running,
    // The gateway drains first: its in-flight requests still need the subgraphs.
    async close() {
      await gateway.close();
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
