/**
 * Base-extract throughput and memory: `npx tsx test/bench/extract.ts` against a seeded database
 * (DATABASE_URL; e.g. 1,000,000 persons from `npm run seed -- --persons 1000000`). Starts the whole stack
 * in this process (as `npm start` does), asks for one extract over HTTP as a client would, follows its
 * status, fetches the output to /dev/null, and reports persons/s and this process's peak RSS and heap
 * (sampled every 100 ms) against the RSS before the job — the whole stack's, so the figure bounds the
 * gateway's own. Options: --format ndjson|csv|cpr, --criteria '{"birthDateFrom":"1800-01-01"}'.
 */
import { parseArgs } from 'node:util';
import { request } from 'node:http';
import { openDatabase } from '../../db/client.js';
import { readSupergraph } from '../../schema/compose.js';
import { startStack } from '../../launch/stack.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { setLogLevel } from '../../kernel/log.js';

const { values } = parseArgs({
  options: { format: { type: 'string', default: 'ndjson' }, criteria: { type: 'string', default: '{"birthDateFrom":"1800-01-01"}' } },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL: the seeded database to extract from');
setLogLevel('warn');

const database = await openDatabase({ url, maxConnections: 20 });
await database.migrate();
const issuer = await ephemeralDevIssuer();
const stack = await startStack({
  db: database.db,
  secrets: await ephemeralSecrets(),
  supergraphSdl: readSupergraph(),
  auth: issuer.authOptions,
  port: 0,
  loadShedding: false,
  limits: { config: parseLimitsConfig({ defaults: { costPerMinute: 0 } }) },
  files: { pollMs: 500 },
});
const token = await issuer.issue({ scope: 'person:read address:read', sub: 'bench', client: 'bench' });
const base = new URL(stack.gateway.url);

function call(method: string, path: string, body?: unknown, sink = false): Promise<{ status: number; json: any; bytes: number }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => ((bytes += c.length), sink || chunks.push(c)));
        res.on('end', () => ok({ status: res.statusCode ?? 0, bytes, json: sink ? null : JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

global.gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakHeap = before.heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 100);

const started = Date.now();
const created = await call('POST', '/extracts', { criteria: JSON.parse(values.criteria!), format: values.format });
if (created.status !== 202) throw new Error(`POST /extracts: ${created.status} ${JSON.stringify(created.json)}`);
let status = created.json;
let lastLog = 0;
while (!['DONE', 'FAILED', 'CANCELLED'].includes(status.status)) {
  await new Promise((ok) => setTimeout(ok, 1000));
  status = (await call('GET', `/extracts/${status.id}`)).json;
  if (Date.now() - lastLog > 30_000) {
    lastLog = Date.now();
    console.log(`  ${status.status} ${status.persons.toLocaleString()} of ${status.total?.toLocaleString() ?? '?'} (${status.percent} %)`);
  }
}
const seconds = (new Date(status.finishedAt).getTime() - new Date(status.startedAt).getTime()) / 1000;
const fetchStart = Date.now();
const fetched = status.status === 'DONE' ? await call('GET', `/extracts/${status.id}/data`, undefined, true) : null;
const fetchSeconds = (Date.now() - fetchStart) / 1000;
clearInterval(sampler);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(
  JSON.stringify(
    {
      criteria: JSON.parse(values.criteria!),
      format: values.format,
      status: status.status,
      error: status.error,
      persons: status.persons,
      seconds,
      personsPerSecond: Math.round(status.persons / seconds),
      outputBytes: status.bytes,
      fetch: fetched && {
        status: fetched.status,
        bytes: fetched.bytes,
        seconds: fetchSeconds,
        mbPerSecond: +(fetched.bytes / 1024 / 1024 / fetchSeconds).toFixed(1),
      },
      memory: {
        rssBefore: mb(before.rss),
        peakRss: mb(peakRss),
        peakRssGrowth: mb(peakRss - before.rss),
        heapBefore: mb(before.heapUsed),
        peakHeap: mb(peakHeap),
      },
      wallSeconds: (Date.now() - started) / 1000,
    },
    null,
    2,
  ),
);
await stack.close();
await database.close();
