/**
 * `npx tsx test/bench/ab.ts --gw before=<checkout> --gw after=<checkout> …`: gateway CPU per request of
 * several checkouts of folkreg, measured in one run. Every gateway (each checkout's own
 * `test/bench/serve.ts`, its own supergraph) runs at once in front of one subgraph process of this
 * checkout, and the load alternates between them in short slices (`--slice` seconds, `--slices` of them
 * per gateway, the order reversed every other slice), so whatever else the machine does weighs on all
 * alike. On a shared 2-core machine whose load moved `npm run bench`'s CPU per request by 2× between
 * runs, the ratio between checkouts in one of these runs is the figure to trust.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a seeded copy> npx tsx test/bench/ab.ts \
 *     --gw base=/path/to/an/older/worktree --gw now=. [--scenarios person,family,search] [--slices 12] [--slice 2]
 *
 * `--gw off=.:unmasked` runs that checkout's gateway with masking and audit off (the bench's
 * `folkreg-unmasked`), so the cost of masking is a ratio of one run too. Beside each gateway's CPU, the
 * subgraph process's CPU during that gateway's slices, per request: what its fetches cost the subgraphs.
 *
 * `--sub before=<checkout> --sub after=<checkout>` compares subgraphs instead: each checkout's subgraph
 * process, each behind a gateway of this checkout, alternated in the same slices; the ratio to read is
 * then the subgraphs' CPU per request (every gateway is the same code).
 *
 * Each checkout needs its node_modules (a symlink to this one's will do). AB_PROF=<dir>: a V8 CPU profile
 * per process, one directory per gateway name.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { benchKeys } from './keys.js';
import { load, processCpuMs } from './load.js';
import { firstError, scenarios } from './scenarios.js';
import type { ServeMessage } from './serve.js';

const { values } = parseArgs({
  options: {
    gw: { type: 'string', multiple: true },
    sub: { type: 'string', multiple: true },
    slices: { type: 'string' },
    slice: { type: 'string' },
    scenarios: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('../../', import.meta.url));
const named = (flag: string, spec: string) => {
  const at = spec.indexOf('=');
  if (at < 1) throw new Error(`--${flag} takes name=<checkout directory>${flag === 'gw' ? '[:unmasked]' : ''}, got '${spec}'`);
  const unmasked = flag === 'gw' && spec.endsWith(':unmasked');
  const dir = resolve(spec.slice(at + 1, unmasked ? -':unmasked'.length : undefined));
  return { name: spec.slice(0, at), dir, role: unmasked ? ('folkreg-unmasked' as const) : ('folkreg' as const) };
};
/** Per target: the checkout of its gateway and of the subgraph process behind it (shared unless `--sub`). */
const targets = values.sub
  ? values.sub.map((spec) => ({ ...named('sub', spec), subgraphsDir: named('sub', spec).dir, dir: here }))
  : (values.gw ?? []).map((spec) => ({ ...named('gw', spec), subgraphsDir: here }));
if (targets.length < 2) throw new Error('Give at least two --gw name=<checkout>, or two --sub name=<checkout>.');
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL names a seeded database (see README "Benchmark").');
const slices = Number(values.slices ?? 12);
const sliceMs = Number(values.slice ?? 2) * 1000;
const concurrency = Number(values.concurrency ?? 16);

const children: ChildProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'folkreg-ab-'));
process.on('exit', () => {
  children.forEach((c) => c.kill());
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts `dir`'s serve.ts with `config` (in a file, and in BENCH_CONFIG too when it fits: older checkouts read that). */
function spawn(dir: string, name: string, config: Record<string, unknown>): Promise<{ child: ChildProcess; ready: ServeMessage }> {
  const file = join(scratch, `${name}.json`);
  const json = JSON.stringify(config);
  writeFileSync(file, json);
  const profile = process.env.AB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AB_PROF}/${name}`] : [];
  const child = fork(join(dir, 'test/bench/serve.ts'), [String(config.role)], {
    cwd: dir,
    execArgv: ['--import', 'tsx', ...profile],
    env: { ...process.env, NODE_ENV: 'production', BENCH_CONFIG_FILE: file, ...(json.length < 120_000 ? { BENCH_CONFIG: json } : {}) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 120 s`)), 120_000);
    child.once('message', (ready) => (clearTimeout(timer), ok({ child, ready: ready as ServeMessage })));
    child.once('exit', (code) => fail(new Error(`${name} (${dir}) exited with ${code} before starting`)));
  });
}

const database = await openDatabase({ url, maxConnections: 5 });
const wanted = (values.scenarios ?? 'person,family,search').split(',').map((w) => w.trim().toLowerCase());
const chosen = scenarios.filter((s) => wanted.some((w) => s.name.toLowerCase().includes(w)));
const prepared = await Promise.all(chosen.map((s) => s.prepare(database.db)));
const { childConfig: base, caller, scenarioContext } = await benchKeys(url);
/** One subgraph process per checkout of the subgraphs. */
const subgraphProcesses = new Map<string, { pid: number; urls: Record<SubgraphName, string> }>();
for (const dir of new Set(targets.map((t) => t.subgraphsDir))) {
  const { child, ready } = await spawn(dir, `subgraphs-${subgraphProcesses.size}`, { ...base, role: 'subgraphs', supergraphSdl: '' });
  subgraphProcesses.set(dir, { pid: child.pid!, urls: (ready as { urls: Record<SubgraphName, string> }).urls });
}
const running = await Promise.all(
  targets.map(async (g) => {
    const supergraphSdl = readFileSync(join(g.dir, 'schema/supergraph.graphql'), 'utf8');
    const { pid: subgraphsPid, urls: subgraphUrls } = subgraphProcesses.get(g.subgraphsDir)!;
    const { child, ready } = await spawn(g.dir, g.name, { ...base, role: g.role, subgraphUrls, benchCaller: caller, supergraphSdl });
    return { ...g, pid: child.pid!, subgraphsPid, url: (ready as { url: string }).url };
  }),
);
const context = await scenarioContext(subgraphProcesses.get(targets[0]!.subgraphsDir)!.urls);

console.log(`${concurrency} clients, ${slices} slices of ${sliceMs / 1000} s per gateway and scenario, after 3 s warm-up each`);
for (const [i, scenario] of chosen.entries()) {
  const sums = running.map(() => ({ requests: 0, errors: 0, cpuMs: 0, subgraphsCpuMs: 0 }));
  const send = running.map((g) => scenario.send('folkreg', g.url, context, prepared[i]));
  for (const s of send) await load(s, concurrency, 3_000);
  for (let k = 0; k < slices; k++) {
    const order = k % 2 ? [...running.keys()].reverse() : [...running.keys()];
    for (const j of order) {
      const before = processCpuMs(running[j]!.pid);
      const subgraphsBefore = processCpuMs(running[j]!.subgraphsPid);
      const result = await load(send[j]!, concurrency, sliceMs);
      sums[j]!.cpuMs += processCpuMs(running[j]!.pid) - before;
      sums[j]!.subgraphsCpuMs += processCpuMs(running[j]!.subgraphsPid) - subgraphsBefore;
      sums[j]!.requests += result.requests;
      sums[j]!.errors += result.errors;
    }
  }
  const first = sums[0]!.cpuMs / sums[0]!.requests;
  const firstSubgraphs = sums[0]!.subgraphsCpuMs / sums[0]!.requests;
  const cells = running.map((g, j) => {
    const perRequest = sums[j]!.cpuMs / sums[j]!.requests;
    const subgraphs = sums[j]!.subgraphsCpuMs / sums[j]!.requests;
    return (
      `${g.name} ${perRequest.toFixed(3)} ms/req (${(perRequest / first).toFixed(2)}×), subgraphs ${subgraphs.toFixed(3)} ms/req ` +
      `(${(subgraphs / firstSubgraphs).toFixed(2)}×); ${sums[j]!.requests} requests, ${sums[j]!.errors} errors`
    );
  });
  console.log(`${scenario.name}: gateway CPU ${cells.join(' | ')}`);
  if (sums.some((s) => s.errors)) console.log(`  first failed answer: ${firstError ?? 'none: the failed requests threw (connection or timeout)'}`);
}
await Promise.all(
  children.map(
    (c) =>
      new Promise<void>((done) => {
        const kill = setTimeout(() => (c.kill(), done()), 10_000);
        c.once('exit', () => (clearTimeout(kill), done()));
        c.send('stop');
      }),
  ),
);
await database.close();
process.exit(0);
