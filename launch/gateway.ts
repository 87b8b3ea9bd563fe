/**
 * `npm run start:gateway`: the gateway alone, for production. Configuration (see README):
 * PORT, HOST, SUBGRAPH_<NAME>_URL for each subgraph, GATEWAY_PRIVATE_KEY (JWK, from `npm run keys`),
 * AUTH_JWKS_URL or AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE and the optional AUTH_* claim names,
 * SUBGRAPH_CA_FILE (PEM; the CA an https subgraph URL is verified against), PROTECTION_POLICY_FILE
 * (optional), DATABASE_URL (the audit log of releases to entitled callers; without it, protected fields
 * are never released), IDE (`off` removes the GraphQL IDE page), NODE_ENV (`production`: no
 * introspection, no "Did you mean" suggestions in errors), LIMITS_FILE, RATE_LIMIT_COST_PER_MINUTE,
 * REDIS_URL, REDIS_KEY_PREFIX (gateway/limits).
 * The IDE never gets a pre-filled token here: that is the development stack's convenience only.
 */
import { readFileSync } from 'node:fs';
import { readSupergraph } from '../schema/compose.js';
import { importGatewayKey } from '../kernel/gateway-token.js';
import { requiredEnv } from '../kernel/secrets.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/subgraph-names.js';
import { databaseTimeoutsFromEnv, openDatabase } from '../db/client.js';
import { authOptionsFromEnv } from '../gateway/auth.js';
import { policyFromEnv } from '../gateway/policy.js';
import { trustedDocumentsFromEnv } from '../gateway/trusted-documents.js';
import { limitsOptionsFromEnv } from '../gateway/limits/index.js';
import { databaseAuditLog } from '../gateway/protection/audit.js';
import { startGateway } from '../gateway/server.js';
import { ideEnabledFromEnv } from '../gateway/ide/serve.js';
import { stopOnSignals } from '../kernel/lifecycle.js';
import { gatewayBoundsFromEnv } from '../gateway/time-bounds.js';

/** `reserve-id` → `SUBGRAPH_RESERVE_ID_URL`. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_${name.toUpperCase().replace('-', '_')}_URL`;
}

const auditDatabase = process.env.DATABASE_URL
  ? await openDatabase({ url: process.env.DATABASE_URL, maxConnections: 4, timeouts: databaseTimeoutsFromEnv() })
  : null;
const bounds = gatewayBoundsFromEnv();
if (!auditDatabase) console.warn('folkreg gateway: no DATABASE_URL, so no audit log: protected fields are withheld from entitled callers too.');
const gateway = await startGateway({
  supergraphSdl: process.env.SUPERGRAPH_PATH ? readFileSync(process.env.SUPERGRAPH_PATH, 'utf8') : readSupergraph(),
  subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, requiredEnv(subgraphUrlVariable(name))])) as Record<SubgraphName, string>,
  signingKey: await importGatewayKey(requiredEnv('GATEWAY_PRIVATE_KEY')),
  subgraphTls: process.env.SUBGRAPH_CA_FILE ? { ca: readFileSync(process.env.SUBGRAPH_CA_FILE) } : {},
  auth: authOptionsFromEnv(),
  policy: policyFromEnv(),
  trustedDocuments: trustedDocumentsFromEnv(),
  limits: limitsOptionsFromEnv(),
  audit: auditDatabase && databaseAuditLog(auditDatabase.db),
  ide: ideEnabledFromEnv() ? {} : false,
  host: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 4000),
  ...bounds,
});
console.log(`folkreg gateway on ${gateway.url}`);
stopOnSignals(
  'folkreg gateway',
  async () => {
    await gateway.close();
    await auditDatabase?.close();
  },
  bounds.drainMs + 5_000,
);
