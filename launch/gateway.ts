/**
 * `npm run start:gateway`: the gateway alone, for production. Configuration (see README):
 * PORT, HOST, SUBGRAPH_<NAME>_URL for each subgraph, GATEWAY_PRIVATE_KEY (JWK, from `npm run keys`),
 * AUTH_JWKS_URL or AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE and the optional AUTH_* claim names,
 * SUBGRAPH_CA_FILE (PEM; the CA an https subgraph URL is verified against), PROTECTION_POLICY_FILE
 * (optional), DATABASE_URL (the audit log of releases to entitled callers; without it, protected fields
 * are never released), IDE (`off` removes the GraphQL IDE page), NODE_ENV (`production`: no
 * introspection, no "Did you mean" suggestions in errors), LIMITS_FILE, RATE_LIMIT_COST_PER_MINUTE,
 * REDIS_URL, REDIS_KEY_PREFIX (gateway/limits), FILES_RETENTION_DAYS (gateway/files), OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (traces).
 * The IDE never gets a pre-filled token here: that is the development stack's convenience only.
 */
import { readFileSync } from 'node:fs';
import { readSupergraph } from '../schema/supergraph.js';
import { loadConfig } from '../kernel/config.js';
import { componentLog } from '../kernel/log.js';
import { tracingOf } from '../kernel/tracing.js';
import { importGatewayKey } from '../kernel/gateway-token.js';
import { databaseTimeoutsOf, openDatabase } from '../db/client.js';
import { authOptionsOf } from '../gateway/auth.js';
import { policyFromFile } from '../gateway/policy.js';
import { trustedDocumentsOf } from '../gateway/trusted-documents.js';
import { limitsOptionsOf } from '../gateway/limits/index.js';
import { databaseAuditLog } from '../gateway/protection/audit.js';
import { startGateway } from '../gateway/server.js';
import { STOP_MARGIN_MS, stopOnSignals } from '../kernel/lifecycle.js';
import { gatewayBounds } from '../gateway/time-bounds.js';
import { ADMIN_CLIENT_ID } from '../gateway/admin/serve.js';
import { ADMIN_DIST, adminDocuments } from '../admin/manifest.js';
import { webhookOptionsOf } from '../gateway/webhooks/index.js';

const config = loadConfig('gateway');
const tracing = tracingOf(config.tracing, 'folkreg-gateway');
const auditDatabase = config.database.url
  ? await openDatabase({ url: config.database.url, maxConnections: 4, timeouts: databaseTimeoutsOf(config.database) })
  : null;
const bounds = gatewayBounds(config);
const log = componentLog('launch');
if (!auditDatabase) log.warn('folkreg gateway: no DATABASE_URL, so no audit log: protected fields are withheld from entitled callers too.');
const gateway = await startGateway({
  supergraphSdl: config.gateway.supergraphPath ? readFileSync(config.gateway.supergraphPath, 'utf8') : readSupergraph(),
  subgraphUrls: config.gateway.subgraphUrls,
  signingKey: await importGatewayKey(config.gateway.privateKey),
  subgraphTls: config.gateway.subgraphCaFile ? { ca: readFileSync(config.gateway.subgraphCaFile) } : {},
  auth: authOptionsOf(config.auth),
  policy: policyFromFile(config.gateway.protectionPolicyFile),
  // The UI's tokens carry its client id: the development one, or its client at the identity provider.
  trustedDocuments: trustedDocumentsOf(
    config.gateway,
    config.gateway.admin ? { client: config.gateway.adminOidc?.clientId ?? ADMIN_CLIENT_ID, documents: adminDocuments() } : undefined,
  ),
  limits: limitsOptionsOf(config.gateway),
  audit: auditDatabase && databaseAuditLog(auditDatabase.db),
  ide: config.gateway.ide ? {} : false,
  // The prebuilt administration UI (npm run build:admin, the image's build stage); no development sign-in here.
  // Its OpenID Connect sign-in records its one-time ids beside the audit log, for every gateway on the database.
  admin: config.gateway.admin && {
    dir: ADMIN_DIST,
    scopeClaim: config.auth.scopeClaim,
    roleClaim: config.auth.roleClaim,
    oidc: config.gateway.adminOidc,
    db: auditDatabase?.db,
  },
  introspection: !config.production,
  host: config.server.host,
  port: config.server.port,
  metrics: { port: config.server.metricsPort },
  readiness: config.gateway.readiness,
  ingestMaxBytes: config.ingest.maxBytes,
  webhooks: webhookOptionsOf(config.gateway.webhooks),
  // Extracts and notification files live beside the audit log; without a database there are none.
  files: auditDatabase && { db: auditDatabase.db, retentionDays: config.gateway.filesRetentionDays },
  ...bounds,
});
log.info({ url: gateway.url, metrics: gateway.metricsUrl }, `folkreg gateway on ${gateway.url}`);
stopOnSignals(
  'folkreg gateway',
  async () => {
    await gateway.close();
    await auditDatabase?.close();
    await tracing?.shutdown();
  },
  bounds.drainMs + STOP_MARGIN_MS,
);
