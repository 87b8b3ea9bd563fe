/**
 * The direction of imports (README "Layout"). `npm test` runs this (npm run lint:deps); a wrong-way
 * import or a cycle fails it.
 *
 *   kernel      <- everything: the vocabulary gateway and subgraphs share; imports no product folder
 *   db          <- subgraphs (their own tables), gateway (its audit table only); imports kernel
 *   subgraphs/x <- nothing but launch, schema tools and tests; never another subgraph or the gateway
 *   gateway     <- launch, schema tools and tests; never a subgraph
 *   ingest      <- the person subgraph (its /ingest/cpr route) and launch; imports kernel and db: the
 *               register's intake writes every domain's tables in one transaction per person
 *   launch      the only product code that imports both gateway and subgraphs
 *   schema, db/seed, test  tools: import the product, never imported by it
 *   admin       the administration UI (a browser app, only a client of the API): imports nothing of the
 *               server; its manifest and build script are imported by launch/ only
 */
const product = '^(kernel|gateway|subgraphs|launch|ingest)/|^db/(?!seed/)';
module.exports = {
  forbidden: [
    {
      name: 'admin-ui-is-only-a-client',
      severity: 'error',
      comment: 'The administration UI talks to the gateway over HTTP like any client; it imports nothing of the server.',
      from: { path: '^admin/' },
      to: { path: '^(kernel|gateway|subgraphs|db|schema|launch|test)/' },
    },
    {
      name: 'only-launchers-and-tests-load-the-admin-ui',
      severity: 'error',
      comment: 'The gateway serves the built files from the folder a launcher gives it; it never imports the app.',
      from: { path: '^(kernel|gateway|subgraphs|db|schema)/' },
      to: { path: '^admin/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one; merge them or move what both need into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-is-a-leaf',
      severity: 'error',
      comment: 'kernel/ is shared by gateway and subgraphs and must not depend on either, nor on the database.',
      from: { path: '^kernel/' },
      to: { path: '^(gateway|subgraphs|db|schema|launch|test|ingest)/' },
    },
    {
      name: 'kernel-speaks-no-sql',
      severity: 'error',
      comment: 'SQL stays in its subgraph (and db/); the kernel is what the gateway may load.',
      from: { path: '^kernel/' },
      to: { path: 'node_modules/(drizzle-orm|postgres|@electric-sql/pglite|dataloader)/' },
    },
    {
      name: 'gateway-never-imports-a-subgraph',
      severity: 'error',
      comment: 'The gateway knows subgraphs by their SDL and URL only; what both need lives in kernel/.',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'gateway-reads-only-its-audit-table',
      severity: 'error',
      comment:
        'The gateway writes its audit log, keeps the extracts and notification files it produces (db/schema/files.ts) and the administration UI sign-in ids used (db/schema/admin.ts); every other table belongs to a subgraph.',
      from: { path: '^gateway/' },
      to: { path: '^db/', pathNot: '^db/(client|data-dir)\\.ts$|^db/schema/(admin|audit|columns|files)\\.ts$' },
    },
    {
      name: 'subgraphs-never-import-the-gateway',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'subgraphs-share-nothing-but-shared',
      severity: 'error',
      comment: 'One subgraph never imports another; they meet in the supergraph. subgraphs/shared/ is the subgraph framework.',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/[^/]+/', pathNot: ['^subgraphs/$1/', '^subgraphs/shared/'] },
    },
    {
      name: 'subgraph-framework-knows-no-subgraph',
      severity: 'error',
      from: { path: '^subgraphs/shared/' },
      to: { path: '^subgraphs/(?!shared/)' },
    },
    {
      name: 'ingest-imports-kernel-and-db',
      severity: 'error',
      comment: 'The ingest (ingest/) is the register intake: it reads files with kernel/ and writes the tables of db/; no server, no subgraph.',
      from: { path: '^ingest/' },
      to: { path: '^(gateway|subgraphs|launch|schema|test)/|^db/seed/' },
    },
    {
      name: 'only-the-person-subgraph-runs-the-ingest',
      severity: 'error',
      comment: 'The gateway forwards POST /ingest/cpr to the person subgraph, which runs the ingest; nothing else of the product imports it.',
      from: { path: '^(gateway|kernel|db|subgraphs/(?!person/))' },
      to: { path: '^ingest/' },
    },
    {
      name: 'db-serves-the-product',
      severity: 'error',
      comment: 'Tables, client and outbox import kernel only.',
      from: { path: '^db/(?!seed/)' },
      to: { path: '^(gateway|subgraphs|schema|launch|test|ingest)/|^db/seed/' },
    },
    {
      name: 'tools-are-never-imported-by-the-product',
      severity: 'error',
      comment: 'schema tools, the seed, the benchmark and tests import the product; the product never imports them.',
      from: { path: product, pathNot: '^launch/' },
      to: { path: '^(schema|test|launch)/|^db/seed/' },
    },
    {
      name: 'launchers-are-entry-points',
      severity: 'error',
      comment: 'Only tests and other launchers start a process from launch/.',
      from: { pathNot: '^(launch|test)/' },
      to: { path: '^launch/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^test/partner-client/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
