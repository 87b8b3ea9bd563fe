/**
 * `npm start`: the whole product in one process on the embedded database (or DATABASE_URL), seeded with
 * synthetic persons on first start. For production, start the gateway and each subgraph alone instead
 * (launch/gateway.ts, launch/subgraph.ts).
 */
import { resolve } from 'node:path';
import { databaseOptionsOf, DataDirError, openDatabase } from '../db/client.js';
import { claimDataDir } from '../db/data-dir.js';
import { countPersons, seedPopulation } from '../db/seed/index.js';
import { readSupergraph } from '../schema/supergraph.js';
import { loadOrCreateDevSecrets } from '../kernel/secrets.js';
import { loadOrCreateDevIssuer } from '../gateway/dev-auth.js';
import { loadConfig } from '../kernel/config.js';
import { tracingOf } from '../kernel/tracing.js';
import { policyFromFile } from '../gateway/policy.js';
import { trustedDocumentsOf } from '../gateway/trusted-documents.js';
import { LimitsConfigError, limitsOptionsOf } from '../gateway/limits/index.js';
import { startStack } from './stack.js';
import { stopOnSignals } from '../kernel/lifecycle.js';
import { gatewayBounds } from '../gateway/time-bounds.js';
import { ADMIN_CLIENT_ID } from '../gateway/admin/serve.js';
import { ADMIN_DIST, adminDocuments } from '../admin/manifest.js';
import { webhookOptionsOf } from '../gateway/webhooks/index.js';

const started = performance.now();
const config = loadConfig('stack');
// One process, one service name: the spans of gateway and subgraphs tell themselves apart by name.
const tracing = tracingOf(config.tracing, 'folkreg');
const options = databaseOptionsOf(config.database);
const dataDir = resolve(config.database.dataDir);
const seedPersons = config.seed.persons;
const bounds = gatewayBounds(config);

try {
  claimDataDir(dataDir);
  const database = await openDatabase(options);
  await database.migrate();
  if ((await countPersons(database.db)) === 0 && seedPersons > 0) {
    const t = performance.now();
    process.stdout.write(`Seeding ${seedPersons} synthetic persons (first start) … `);
    await seedPopulation(database.db, { persons: seedPersons, seed: config.seed.seed });
    console.log(`done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const issuer = await loadOrCreateDevIssuer(dataDir);
  if (config.gateway.admin) {
    // The administration UI is built here, not served by Vite's dev server: the page then runs under the
    // same CSP as in production (Vite's dev client needs inline scripts). Only when a source changed.
    const t = performance.now();
    const { ensureAdminBuilt } = await import('../admin/build.js');
    if ((await ensureAdminBuilt()) === 'built') console.log(`Built the administration UI in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const stack = await startStack({
    auth: issuer.authOptions,
    db: database.db,
    secrets: await loadOrCreateDevSecrets(dataDir),
    supergraphSdl: readSupergraph(),
    compiledExecution: config.subgraph.compiledExecution,
    policy: policyFromFile(config.gateway.protectionPolicyFile),
    trustedDocuments: trustedDocumentsOf(config.gateway, config.gateway.admin ? { client: ADMIN_CLIENT_ID, documents: adminDocuments() } : undefined),
    limits: limitsOptionsOf(config.gateway),
    // Development only: the IDE page comes with a fresh short-lived read token (never in launch/gateway.ts).
    ide: config.gateway.ide ? { token: () => issuer.issue({ scope: 'folkreg:read', sub: 'developer', client: 'folkreg-ide', ttlSeconds: 900 }) } : false,
    // Development sign-in: a token per profile, for loopback browsers only (gateway/admin/serve.ts).
    admin: config.gateway.admin && {
      dir: ADMIN_DIST,
      devToken: (p) => issuer.issue({ scope: p.scope, role: p.role, sub: `dev-${p.id}`, client: ADMIN_CLIENT_ID, ttlSeconds: 3600 }),
    },
    introspection: !config.production,
    host: config.server.host,
    port: config.server.port,
    metrics: { port: config.server.metricsPort },
    webhooks: webhookOptionsOf(config.gateway.webhooks),
    files: { retentionDays: config.gateway.filesRetentionDays },
    readiness: config.gateway.readiness,
    ingestMaxBytes: config.ingest.maxBytes,
    ...bounds,
  });
  const where = database.driver === 'pglite' ? `embedded database in ${dataDir}` : 'DATABASE_URL';
  console.log(`folkreg is up in ${((performance.now() - started) / 1000).toFixed(1)} s on the ${where}`);
  for (const [name, s] of Object.entries(stack.subgraphs)) console.log(`  subgraph ${name.padEnd(12)} ${s.url}`);
  console.log(`  gateway               ${stack.gateway.url.replace('127.0.0.1', 'localhost')}`);
  console.log(`  health                ${stack.gateway.url.replace('/graphql', '/healthz')}  ${stack.gateway.url.replace('/graphql', '/readyz')}`);
  console.log(`  metrics               ${stack.gateway.metricsUrl.replace('127.0.0.1', 'localhost')} (each subgraph: /metrics on its port)`);
  if (config.gateway.ide)
    console.log(
      `  GraphQL IDE           ${stack.gateway.url.replace('127.0.0.1', 'localhost')} in a browser (development token pre-filled for loopback clients; IDE=off removes it)`,
    );
  if (config.gateway.admin)
    console.log(
      `  administration UI     ${stack.gateway.url.replace('127.0.0.1', 'localhost').replace('/graphql', '/admin/')} (development sign-in for loopback clients; ADMIN=off removes it)`,
    );
  const dataDirEnv = resolve(config.database.dataDir) !== resolve('./.data') ? `DATA_DIR=${dataDir} ` : '';
  console.log(`Every GraphQL request needs a bearer token. Get one (valid 1 h) with:`);
  console.log(`  ${dataDirEnv}npm run -s token -- --scope "folkreg:read"`);
  console.log(`Then: curl -s ${stack.gateway.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
  console.log(`        -d '{"query":"{ changeEvents(first: 3) { edges { node { type person { name { givenNames familyName } } } } } }"}'`);

  // Gateway, then subgraphs, each drained within the drain time; then the database.
  stopOnSignals(
    'folkreg',
    async () => {
      await stack.close();
      await database.close();
      await tracing?.shutdown();
    },
    2 * bounds.drainMs + 5_000,
  );
} catch (err) {
  if (err instanceof DataDirError || err instanceof LimitsConfigError) {
    console.error(`folkreg did not start: ${err.message}`);
    process.exit(1);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`folkreg did not start: port ${config.server.port} is in use. Stop the other process or set PORT.`);
    process.exit(1);
  }
  throw err;
}
