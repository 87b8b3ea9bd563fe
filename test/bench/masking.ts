/**
 * The cost of protected-identity masking and audit: one query mix through two gateways over the same
 * subgraphs and database — masking on and masking off — in alternating rounds of one run, so the
 * ratio is not skewed by what else the machine is doing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/folkreg_mask npx tsx test/bench/masking.ts [--seconds 8] [--concurrency 8]
 *
 * Seeds 20,000 persons into an empty database first. Bounded in time; stops by itself.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { countPersons, seedPopulation } from '../../db/seed/index.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { startGateway } from '../../gateway/server.js';
import { startStack } from '../../gateway/stack.js';
import { readSupergraph } from '../../schema/compose.js';
import { ephemeralSecrets } from '../../subgraphs/shared/secrets.js';
import { selectRows } from '../../db/client.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '8' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to an empty (or previously seeded) Postgres database.');

const database = await openDatabase({ url, maxConnections: 20 });
await database.migrate();
if ((await countPersons(database.db)) === 0) await seedPopulation(database.db, { persons: 20_000, seed: 1 });

const protectedIds = await selectRows<{ value: string }>(
  database.db,
  sql`SELECT i.value FROM protection_markers m JOIN person_identifiers i ON i.person_id = m.person_id
      WHERE m.valid_to IS NULL LIMIT 200`,
);
const families = await selectRows<{ value: string }>(
  database.db,
  sql`SELECT i.value FROM family_relations f JOIN person_identifiers i ON i.person_id = f.person_id
      GROUP BY i.value ORDER BY count(*) DESC LIMIT 200`,
);
const plain = await selectRows<{ value: string }>(database.db, sql`SELECT value FROM person_identifiers ORDER BY id LIMIT 500`);

const issuer = await ephemeralDevIssuer();
const secrets = await ephemeralSecrets();
const stack = await startStack({ db: database.db, secrets, supergraphSdl: readSupergraph(), auth: issuer.authOptions, port: 0 });
const unmasked = await startGateway({
  supergraphSdl: readSupergraph(),
  subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([n, s]) => [n, s.url])) as never,
  signingKey: secrets.gatewayKeys.privateKey,
  auth: issuer.authOptions,
  masking: false,
  port: 0,
});

const reader = `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'bench', ttlSeconds: 3600 })}`;
const entitled = `Bearer ${await issuer.issue({ scope: 'person:unrestricted', sub: 'bench-entitled', purpose: 'benchmark', ttlSeconds: 3600 })}`;
const PERSON = `query Person($i: String!) { person(identifier: $i) { name { givenNames familyName } birthDate address { streetName postalCode postalDistrict municipalityName } protectionMarkers { kind } } }`;
const FAMILY = `query Family($i: String!) { person(identifier: $i) { familyRelations(first: 20) { totalCount edges { node { kind relative { name { givenNames familyName } address { streetName postalCode } } } } } } }`;
const pick = <T>(list: T[], n: number) => list[n % list.length]!;
/** The mix: plain lookups, protected lookups, family pages, entitled (audited) lookups. */
const mix = [
  (n: number) => ({ query: PERSON, i: pick(plain, n).value, auth: reader }),
  (n: number) => ({ query: PERSON, i: pick(protectedIds, n).value, auth: reader }),
  (n: number) => ({ query: FAMILY, i: pick(families, n).value, auth: reader }),
  (n: number) => ({ query: PERSON, i: pick(protectedIds, n).value, auth: entitled }),
];

async function round(target: string, ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const { query, i, auth } = mix[n % mix.length]!(n++);
        const t = performance.now();
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ query, variables: { i } }) });
        const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
        latencies.push(performance.now() - t);
        if (res.status !== 200 || body.errors?.some((e) => e.extensions?.code !== 'PROTECTED_IDENTITY')) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

const totals = { on: { requests: 0, errors: 0, p50: [] as number[], p99: [] as number[] }, off: { requests: 0, errors: 0, p50: [] as number[], p99: [] as number[] } };
await round(stack.gateway.url, 2_000); // warm-up: plans, JIT, connections
await round(unmasked.url, 2_000);
for (let r = 0; r < 2; r++) {
  for (const [mode, target] of [['on', stack.gateway.url], ['off', unmasked.url]] as const) {
    const result = await round(target, (seconds * 1000) / 2);
    totals[mode].requests += result.requests;
    totals[mode].errors += result.errors;
    totals[mode].p50.push(result.p50);
    totals[mode].p99.push(result.p99);
  }
}
const rate = (m: 'on' | 'off') => totals[m].requests / seconds;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`| gateway | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|`);
for (const m of ['on', 'off'] as const) {
  console.log(`| masking ${m} | ${rate(m).toFixed(0)} | ${avg(totals[m].p50).toFixed(1)} | ${avg(totals[m].p99).toFixed(1)} | ${totals[m].errors} |`);
}
console.log(`masking+audit throughput ratio on/off: ${(rate('on') / rate('off')).toFixed(3)} (cost ${((1 - rate('on') / rate('off')) * 100).toFixed(1)}%)`);
await unmasked.close();
await stack.close();
await database.close();
