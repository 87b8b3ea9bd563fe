/**
 * Latency and cost of a page of family relations with each relative's names and current address,
 * through the gateway of a whole stack on DATABASE_URL (a seeded database; it is migrated first).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/folkreg_1m_copy npx tsx test/bench/family-latency.ts [requests]
 *
 * Picks the person with the most current relations, then: the counters (subgraph fetches, SQL
 * statements) of pages of 2, 5 and 20, and p50/p99 latency of sequential 20-relation pages. Numbers go
 * to stdout as JSON; this is a measurement, not a test.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, selectRows } from '../../db/client.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { startStack } from '../../launch/stack.js';
import { readSupergraph } from '../../schema/compose.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { graphql } from '../support/stack.js';
import { FAMILY_PAGE as PAGE } from '../support/documents.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a seeded Postgres database (a copy: this migrates it).');
const requests = Number(process.argv[2] ?? 500);

const database = await openDatabase({ url, maxConnections: 10 });
await database.migrate();
const [subject] = await selectRows<{ personId: string; identifier: string; relations: number }>(
  database.db,
  sql`with top as (
        select person_id, count(*)::int as relations from family_relations
        where valid_to is null and relative_person_id is not null group by person_id order by 2 desc limit 1)
      select t.person_id as "personId", i.value as identifier, t.relations from top t
      join person_identifiers i on i.person_id = t.person_id and i.valid_to is null limit 1`,
);
if (!subject) throw new Error('No person with relations in this database.');

console.error(`subject ${subject.identifier}: ${subject.relations} current relations`);
const issuer = await ephemeralDevIssuer();
const stack = await startStack({ db: database.db, secrets: await ephemeralSecrets(), supergraphSdl: readSupergraph(), auth: issuer.authOptions, port: 0 });
const headers = { authorization: `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'bench' })}` };

async function page(first: number, extra: Record<string, string> = {}) {
  const res = await graphql(stack.gateway.url, PAGE, { identifier: subject!.identifier, first }, { ...headers, ...extra });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res as typeof res & { extensions?: { counters?: unknown } };
}

try {
  const counters: Record<number, unknown> = {};
  for (const first of [2, 5, 20]) counters[first] = (await page(first, { 'folkreg-counters': '1' })).extensions?.counters;
  console.error('counters', JSON.stringify(counters));
  const relativesOnPage = ((await page(20)).data as any).person.familyRelations.edges.length;
  for (let i = 0; i < 50; i++) await page(20); // warm-up: JIT, connection pools, Postgres caches

  const cpuBefore = process.cpuUsage();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await page(20);
    times.push(performance.now() - t);
  }
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(2));
  console.log(
    JSON.stringify(
      {
        database: new URL(url).pathname.slice(1),
        persons: (await selectRows<{ n: number }>(database.db, sql`select count(*)::int as n from persons`))[0]!.n,
        subject: { currentRelations: subject.relations, relativesOnPage },
        counters,
        latencyMs: { requests, p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100), mean: Number((wall / requests).toFixed(2)) },
        // Gateway, subgraphs and client share this process; Postgres is separate.
        nodeCpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / requests).toFixed(2)),
      },
      null,
      2,
    ),
  );
} finally {
  await stack.close();
  await database.close();
}
