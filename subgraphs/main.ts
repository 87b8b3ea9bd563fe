/**
 * `npm run start:subgraph -- <name>`: one subgraph alone, for production. Configuration (see README):
 * PORT, HOST, DATABASE_URL, DATABASE_POOL_SIZE, GATEWAY_PUBLIC_KEY (JWK), CURSOR_SECRET (base64; the same
 * in every process), MIGRATE_ON_START (default true).
 */
import { databaseTimeoutsFromEnv, openDatabase } from '../db/client.js';
import { connectionTimeoutsFromEnv, drainMsFromEnv, stopOnSignals } from './shared/lifecycle.js';
import { subgraphs } from './index.js';
import { CursorCodec } from './shared/cursor.js';
import { importGatewayKey } from './shared/gateway-token.js';
import { requiredEnv } from './shared/secrets.js';
import { SUBGRAPH_NAMES, startSubgraph, type SubgraphName } from './shared/server.js';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(1);
}
const database = await openDatabase({ url: requiredEnv('DATABASE_URL'), maxConnections: Number(process.env.DATABASE_POOL_SIZE ?? 10), timeouts: databaseTimeoutsFromEnv() });
const drainMs = drainMsFromEnv();
if (process.env.MIGRATE_ON_START !== 'false') await database.migrate();
const server = await startSubgraph(
  subgraphs[name],
  {
    db: database.db,
    gatewayPublicKey: await importGatewayKey(requiredEnv('GATEWAY_PUBLIC_KEY')),
    cursors: new CursorCodec(Buffer.from(requiredEnv('CURSOR_SECRET'), 'base64')),
  },
  { host: process.env.HOST ?? '0.0.0.0', port: Number(process.env.PORT ?? 4001), timeouts: connectionTimeoutsFromEnv(), drainMs },
);
console.log(`folkreg subgraph ${name} on ${server.url}`);
stopOnSignals(`folkreg subgraph ${name}`, async () => {
  await server.close();
  await database.close();
}, drainMs + 5_000);
