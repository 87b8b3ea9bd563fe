/**
 * `npm run start:subgraph -- <name>`: one subgraph alone, for production. Configuration (see README):
 * PORT, HOST (default 127.0.0.1: only the gateway should reach a subgraph; set it to the interface the
 * gateway uses), DATABASE_URL, DATABASE_POOL_SIZE, GATEWAY_PUBLIC_KEY (JWK), CURSOR_SECRET (base64; the
 * same in every process), MIGRATE_ON_START (default true), TLS_CERT_FILE + TLS_KEY_FILE (PEM; HTTPS only).
 */
import { readFileSync } from 'node:fs';
import { databaseTimeoutsFromEnv, openDatabase } from '../db/client.js';
import { connectionTimeoutsFromEnv, drainMsFromEnv, stopOnSignals } from '../kernel/lifecycle.js';
import { subgraphs } from '../subgraphs/index.js';
import { CursorCodec } from '../subgraphs/shared/cursor.js';
import { importGatewayKey } from '../kernel/gateway-token.js';
import { requiredEnv } from '../kernel/secrets.js';
import { startSubgraph } from '../subgraphs/shared/server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/subgraph-names.js';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(1);
}
const tls = tlsFromEnv();
const database = await openDatabase({
  url: requiredEnv('DATABASE_URL'),
  maxConnections: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  timeouts: databaseTimeoutsFromEnv(),
});
const drainMs = drainMsFromEnv();
if (process.env.MIGRATE_ON_START !== 'false') await database.migrate();
const server = await startSubgraph(
  subgraphs[name],
  {
    db: database.db,
    gatewayPublicKey: await importGatewayKey(requiredEnv('GATEWAY_PUBLIC_KEY')),
    cursors: new CursorCodec(Buffer.from(requiredEnv('CURSOR_SECRET'), 'base64')),
  },
  { host: process.env.HOST || '127.0.0.1', port: Number(process.env.PORT ?? 4001), timeouts: connectionTimeoutsFromEnv(), drainMs, tls },
);
console.log(`folkreg subgraph ${name} on ${server.url}`);
stopOnSignals(
  `folkreg subgraph ${name}`,
  async () => {
    await server.close();
    await database.close();
  },
  drainMs + 5_000,
);

/** TLS_CERT_FILE and TLS_KEY_FILE together, or neither: one of them alone stops the start. */
function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): { cert: Buffer; key: Buffer } | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = env;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('Set both TLS_CERT_FILE and TLS_KEY_FILE (PEM), or neither (see README, "Trust between gateway and subgraphs").');
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
