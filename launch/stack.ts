import type { Db } from '../db/client.js';
import { subgraphs } from '../subgraphs/index.js';
import { CursorCodec } from '../subgraphs/shared/cursor.js';
import type { StackSecrets } from '../kernel/secrets.js';
import { startSubgraph } from '../subgraphs/shared/server.js';
import { type RunningServer } from '../kernel/lifecycle.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/subgraph-names.js';
import { databaseAuditLog } from '../gateway/protection/audit.js';
import { startGateway, type GatewayOptions } from '../gateway/server.js';
import { ingestRouteBounds } from '../kernel/ingest-route.js';

/**
 * The gateway options a stack passes on as they are (their meaning and defaults: `GatewayOptions`);
 * `timeouts`, `drainMs` and `ingestMaxBytes` apply to the subgraphs too, and the gateway listens on loopback port 4000
 * unless `host`/`port` say otherwise (port 0 picks a free one).
 */
type PassedToGateway =
  | 'auth'
  | 'policy'
  | 'masking'
  | 'trustedDocuments'
  | 'introspection'
  | 'ide'
  | 'admin'
  | 'host'
  | 'port'
  | 'subscriptions'
  | 'timeBounds'
  | 'timeouts'
  | 'drainMs'
  | 'loadShedding'
  | 'limits'
  | 'metrics'
  | 'webhooks'
  | 'readiness'
  | 'ingestMaxBytes';

/** What a stack's delivery (README "Delivery") takes besides the stack's database. */
type StackFiles = Omit<NonNullable<GatewayOptions['files']>, 'db'>;

/** What `startStack` needs: the gateway options it passes on, and what it makes the rest from. */
export interface StackOptions extends Pick<GatewayOptions, PassedToGateway> {
  db: Db;
  secrets: StackSecrets;
  supergraphSdl: string;
  /** Subgraphs over HTTPS with this certificate and key; the gateway trusts `ca` for them. @default plain HTTP on loopback */
  subgraphTls?: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
  /** Subgraphs run hot queries compiled (`SUBGRAPH_COMPILED_EXECUTION`). @default true */
  compiledExecution?: boolean;
  /** Extracts and notification files, on the stack's database. @default {} // on, with the defaults of `DeliveryOptions` */
  files?: StackFiles | false;
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
  const { db, secrets, supergraphSdl, subgraphTls, files, compiledExecution, ...passed } = options;
  const runtime = {
    db,
    compiledExecution,
    gatewayPublicKey: secrets.gatewayKeys.publicKey,
    cursors: new CursorCodec(secrets.cursorSecret),
    routeMaxBytes: ingestRouteBounds(passed.ingestMaxBytes),
  };
  const started = await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      startSubgraph(subgraphs[name], runtime, { host: '127.0.0.1', port: 0, timeouts: passed.timeouts, drainMs: passed.drainMs, tls: subgraphTls }),
    ),
  );
  const running = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, started[i]!])) as Record<SubgraphName, RunningServer>;
  const gateway = await startGateway({
    ...passed,
    supergraphSdl,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, running[name].url])) as Record<SubgraphName, string>,
    signingKey: secrets.gatewayKeys.privateKey,
    subgraphTls: subgraphTls ? { ca: subgraphTls.ca } : {},
    audit: databaseAuditLog(db),
    files: files === false ? null : { ...files, db },
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
