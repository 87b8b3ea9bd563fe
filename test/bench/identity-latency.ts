/**
 * Latency of identity queries through the whole stack (gateway + subgraphs over HTTP) against an existing
 * database, e.g. a copy of the 1M seed. Sequential requests, so the figures are per-request latency, not
 * throughput. Read-only.
 *   DATABASE_URL=postgres://…/folkreg_1m_copy npx tsx test/bench/identity-latency.ts [requestsPerShape]
 */
import { sql } from 'drizzle-orm';
import { openDatabase, selectRows } from '../../db/client.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { startStack } from '../../launch/stack.js';
import { readSupergraph } from '../../schema/compose.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { foldForSearch } from '../../kernel/search-key.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to your copy of the 1M database.');
const n = Number(process.argv[2] ?? 200);
const database = await openDatabase({ url, maxConnections: 10 });
const issuer = await ephemeralDevIssuer();
const stack = await startStack({ db: database.db, secrets: await ephemeralSecrets(), supergraphSdl: readSupergraph(), auth: issuer.authOptions, port: 0 });
const token = await issuer.issue({ scope: 'folkreg:read', sub: 'bench' });

async function timed(query: string, variables: Record<string, unknown>): Promise<number> {
  const t = performance.now();
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return performance.now() - t;
}

/** CPU of this process (gateway, five subgraphs and the client all run here) per request, in ms. */
function cpuPerRequest(before: NodeJS.CpuUsage, requests: number): string {
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / requests).toFixed(1);
}

function summary(label: string, ms: number[], cpu: string) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  console.log(`${label.padEnd(34)} n=${s.length}  p50=${q(0.5)} ms  p99=${q(0.99)} ms  max=${s.at(-1)!.toFixed(1)} ms  node CPU/request=${cpu} ms`);
}

const names = (
  await selectRows<{ family_name: string }>(database.db, sql`select family_name from person_names tablesample system (1) where valid_to is null limit ${n}`)
).map((r) => foldForSearch(r.family_name));
const dates = (
  await selectRows<{ d: string }>(
    database.db,
    sql`select to_char(birth_date, 'YYYYMMDD') as d from persons tablesample system (1) where birth_date is not null and country = 'SE' limit ${n}`,
  )
).map((r) => r.d);
const ids = (
  await selectRows<{ value: string }>(database.db, sql`select value from person_identifiers tablesample system (5) limit ${Math.max(500, n * 5)}`)
).map((r) => r.value);

const SEARCH = `query($f: PersonSearchFilter!) { searchPersons(filter: $f, first: 20) { edges { node { id name { givenNames familyName } birthDate } } pageInfo { hasNextPage endCursor } } }`;
const BATCH = `query($ids: [String!]!) { persons(identifiers: $ids) { status person { id name { familyName } birthDate status } } }`;

// Warm-up: connections, plans, caches.
for (let i = 0; i < 10; i++) await timed(SEARCH, { f: { name: names[i % names.length] } });

let cpu = process.cpuUsage();
const byName: number[] = [];
for (let i = 0; i < n; i++) byName.push(await timed(SEARCH, { f: { name: names[i % names.length] } }));
const byNameCpu = cpuPerRequest(cpu, n);
cpu = process.cpuUsage();
const byPrefix: number[] = [];
for (let i = 0; i < n; i++) byPrefix.push(await timed(SEARCH, { f: { identifierPrefix: dates[i % dates.length] } }));
const byPrefixCpu = cpuPerRequest(cpu, n);
cpu = process.cpuUsage();
const batch: number[] = [];
for (let i = 0; i < Math.max(20, n / 4); i++) {
  const start = (i * 97) % Math.max(1, ids.length - 500);
  batch.push(await timed(BATCH, { ids: ids.slice(start, start + 500) }));
}
const batchCpu = cpuPerRequest(cpu, batch.length);
console.log(`persons in database: ${(await selectRows<{ c: string }>(database.db, sql`select count(*)::text as c from persons`))[0]!.c}`);
summary('searchPersons by family name', byName, byNameCpu);
summary('searchPersons by pnr prefix YYYYMMDD', byPrefix, byPrefixCpu);
summary('persons(identifiers:) x500', batch, batchCpu);
await stack.close();
await database.close();
