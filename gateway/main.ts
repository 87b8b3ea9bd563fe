/**
 * `npm run start:gateway`: the gateway alone, for production. Configuration (see README):
 * PORT, HOST, SUBGRAPH_<NAME>_URL for each subgraph, GATEWAY_PRIVATE_KEY (JWK, from `npm run keys`),
 * AUTH_JWKS_URL or AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE and the optional AUTH_* claim names.
 */
import { readFileSync } from 'node:fs';
import { readSupergraph } from '../schema/compose.js';
import { importGatewayKey } from '../subgraphs/shared/gateway-token.js';
import { requiredEnv } from '../subgraphs/shared/secrets.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/shared/server.js';
import { authOptionsFromEnv } from './auth.js';
import { startGateway } from './server.js';

/** `reserve-id` → `SUBGRAPH_RESERVE_ID_URL`. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_${name.toUpperCase().replace('-', '_')}_URL`;
}

const gateway = await startGateway({
  supergraphSdl: process.env.SUPERGRAPH_PATH ? readFileSync(process.env.SUPERGRAPH_PATH, 'utf8') : readSupergraph(),
  subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, requiredEnv(subgraphUrlVariable(name))])) as Record<SubgraphName, string>,
  signingKey: await importGatewayKey(requiredEnv('GATEWAY_PRIVATE_KEY')),
  auth: authOptionsFromEnv(),
  host: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 4000),
});
console.log(`folkreg gateway on ${gateway.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => gateway.close().then(() => process.exit(0)));
