/**
 * EXPLAIN (ANALYZE, BUFFERS) of every person-search shape and the batch lookup, as the person subgraph
 * builds them, for an ordinary caller (the default policy's hidden map). Read-only.
 *   DATABASE_URL=postgres://…/folkreg_1m_copy npx tsx test/bench/identity-explain.ts
 * (a copy of the bench's template: `createdb -T folkreg_bench_1000000_s1_v1 folkreg_1m_copy`, see seeded.ts)
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { openDatabase, selectRows } from '../../db/client.js';
import { Policy } from '../../gateway/policy.js';
import { planSearch, runsPrepared, searchSql, type PersonSearchFilter } from '../../subgraphs/person/search.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to your copy of the 1M database.');
const database = await openDatabase({ url, maxConnections: 1 });
const identity = { subject: 'bench', client: null, scopes: ['folkreg:read'], role: null, purpose: null };
const caller = { ...identity, hidden: new Policy().hiddenFor(identity), hiddenEventTypes: [] };

const shapes: [string, PersonSearchFilter][] = [
  ['pnr prefix YYYYMMDD', { identifierPrefix: '19850314' }],
  ['pnr prefix YYMMDD', { identifierPrefix: '850314' }],
  ['full samordningsnummer', { identifierPrefix: process.env.SNR ?? '198503741234' }],
  ['name (common family name)', { name: 'karlsson' }],
  ['name, two words', { name: 'anna lofgren' }],
  ['birth-date range (1 month)', { birthDateFrom: '1985-03-01', birthDateTo: '1985-03-31' }],
  ['municipality (common)', { municipalityCode: '1480' }],
  ['municipality (rare)', { municipalityCode: process.env.RARE_MUNICIPALITY ?? '2584' }],
  ['municipality + name', { municipalityCode: '0180', name: 'karl' }],
  ['municipality (rare) + name', { municipalityCode: process.env.RARE_MUNICIPALITY ?? '2584', name: 'karl' }],
  ['name + birth-date range (10 years)', { name: 'karlsson', birthDateFrom: '1980-01-01', birthDateTo: '1989-12-31' }],
];
for (const [label, filter] of shapes) {
  let plan;
  try {
    plan = planSearch(filter);
  } catch (err) {
    console.log(`## ${label}: ${(err as Error).message}\n`);
    continue;
  }
  const q = searchSql(caller, plan, null, 21);
  const rows = await selectRows<{ 'QUERY PLAN': string }>(database.db, sql`explain (analyze, buffers) ${q}`);
  console.log(`## ${label} ${JSON.stringify(filter)}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
  // What `runSearch` runs prepared, as the seventh run of the statement on a connection: the plan
  // Postgres keeps (generic, built at the sixth when no dearer than a fresh one) and its planning time.
  if (runsPrepared(plan)) console.log(`## ${label}, prepared (7th run)\n${await explainPrepared(q)}\n`);
}

/** PREPARE the statement, EXECUTE it six times, then EXPLAIN (ANALYZE, BUFFERS) the seventh. */
async function explainPrepared(q: SQL): Promise<string> {
  const { sql: text, params } = new PgDialect().sqlToQuery(q);
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  const execute = `execute search_explain(${params.map(literal).join(', ')})`;
  await database.db.execute(sql.raw(`prepare search_explain as ${text}`));
  try {
    for (let i = 0; i < 6; i++) await database.db.execute(sql.raw(execute));
    const rows = await selectRows<{ 'QUERY PLAN': string }>(database.db, sql.raw(`explain (analyze, buffers) ${execute}`));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await database.db.execute(sql.raw('deallocate search_explain'));
  }
}
const values = (await selectRows<{ value: string }>(database.db, sql`select value from person_identifiers order by id desc limit 500`)).map((r) => r.value);
const batch = await selectRows<{ 'QUERY PLAN': string }>(
  database.db,
  sql`explain (analyze, buffers) select * from person_identifiers pi join persons p on p.id = pi.person_id where pi.value in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`,
);
console.log(`## batch lookup of 500 identifiers\n${batch.map((r) => r['QUERY PLAN']).join('\n')}`);
await database.close();
