/**
 * `npm run start:subgraph -- <name>`: one subgraph alone, for production. Configuration (see README):
 * PORT, HOST (default 127.0.0.1: only the gateway should reach a subgraph; set it to the interface the
 * gateway uses), DATABASE_URL, DATABASE_POOL_SIZE, GATEWAY_PUBLIC_KEY (JWK), CURSOR_SECRET (base64; the
 * same in every process), MIGRATE_ON_START (default true), TLS_CERT_FILE + TLS_KEY_FILE (PEM; HTTPS only),
 * OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (traces).
 */
import { readFileSync } from 'node:fs';
import { databaseTimeoutsOf, openDatabase } from '../db/client.js';
import { loadConfig } from '../kernel/config.js';
import { componentLog } from '../kernel/log.js';
import { tracingOf } from '../kernel/tracing.js';
import { connectionTimeouts, STOP_MARGIN_MS, stopOnSignals } from '../kernel/lifecycle.js';
import { subgraphs } from '../subgraphs/index.js';
import { CursorCodec } from '../subgraphs/shared/cursor.js';
import { importGatewayKey } from '../kernel/gateway-token.js';
import { ingestRouteBounds } from '../kernel/ingest-route.js';
import { startSubgraph } from '../subgraphs/shared/server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/subgraph-names.js';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(1);
}
const config = loadConfig('subgraph');
const tracing = tracingOf(config.tracing, `folkreg-${name}`);
const { tlsCertFile, tlsKeyFile } = config.subgraph;
// Both or neither (the configuration checked that).
const tls = tlsCertFile && tlsKeyFile ? { cert: readFileSync(tlsCertFile), key: readFileSync(tlsKeyFile) } : undefined;
const database = await openDatabase({ url: config.database.url, maxConnections: config.database.poolSize, timeouts: databaseTimeoutsOf(config.database) });
const drainMs = config.http.drainMs;
if (config.database.migrateOnStart) await database.migrate();
const server = await startSubgraph(
  subgraphs[name],
  {
    db: database.db,
    gatewayPublicKey: await importGatewayKey(config.subgraph.publicKey),
    cursors: new CursorCodec(Buffer.from(config.subgraph.cursorSecret, 'base64')),
    compiledExecution: config.subgraph.compiledExecution,
    // The person subgraph's ingest routes (INGEST_MAX_BYTES); the other subgraphs have none.
    routeMaxBytes: ingestRouteBounds(config.ingest.maxBytes),
  },
  { host: config.server.host, port: config.server.port, metrics: { port: config.server.metricsPort }, timeouts: connectionTimeouts(config), drainMs, tls },
);
componentLog('launch').info({ subgraph: name, url: server.url, metrics: server.metricsUrl }, `folkreg subgraph ${name} on ${server.url}`);
stopOnSignals(
  `folkreg subgraph ${name}`,
  async () => {
    await server.close();
    await database.close();
    await tracing?.shutdown();
  },
  drainMs + STOP_MARGIN_MS,
);
