import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGatewayKeys, generateGatewayKeys } from '../../kernel/gateway-token.js';
import { createTestDatabase } from '../support/database.js';
import { containerEnvironment, containersOf, manifests, root } from '../support/deploy.js';
import { createTestCertificates } from '../support/tls.js';

/**
 * The image's entry point and health check (deploy/entrypoint.sh, deploy/healthcheck.mjs), run as the
 * container runs them but without one (no container runtime here): each part with the environment its
 * Kubernetes manifest gives it, the Secret's values generated, the files and hosts only a cluster has
 * replaced by local ones.
 */
const objects = manifests();
const certificates = createTestCertificates();
const dataDir = mkdtempSync(join(tmpdir(), 'folkreg-entrypoint-'));
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  certificates.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the Secret holds, freshly made as `npm run keys` makes it. */
async function secretValues(): Promise<Record<string, string>> {
  const { privateJwk, publicJwk } = await exportGatewayKeys(await generateGatewayKeys());
  return {
    GATEWAY_PRIVATE_KEY: JSON.stringify(privateJwk),
    GATEWAY_PUBLIC_KEY: JSON.stringify(publicJwk),
    CURSOR_SECRET: Buffer.alloc(32, 7).toString('base64'),
    // Never asked here: a subgraph opens its database lazily, and the gateway's audit log only on a release.
    DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
    // Unreachable: the gateway counts budgets in memory meanwhile.
    REDIS_URL: 'redis://127.0.0.1:1',
  };
}

/** The environment of the Deployment's (or Job's) container, on a free port, with local certificate files. */
async function environmentOf(workload: string): Promise<Record<string, string>> {
  const object = objects.find((m) => (m.kind === 'Deployment' || m.kind === 'Job') && m.metadata.name === workload)!;
  const env = containerEnvironment(objects, containersOf(object)[0]!, await secretValues());
  const local: Record<string, string> = { TLS_CERT_FILE: join(certificates.dir, 'server.pem'), TLS_KEY_FILE: join(certificates.dir, 'server.key') };
  for (const name of Object.keys(local)) if (!(name in env)) delete local[name];
  if ('SUBGRAPH_CA_FILE' in env) local.SUBGRAPH_CA_FILE = join(certificates.dir, 'ca.pem');
  return { ...env, ...local, PORT: '0' };
}

/** Runs the entry point as the image does (`sh deploy/entrypoint.sh <args>`), with only `env` and PATH. */
function entrypoint(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn('sh', ['deploy/entrypoint.sh', ...args], { cwd: root, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { child, output: () => output, exit };
}

/** The port a launched server printed it listens on. */
async function listening(run: ReturnType<typeof entrypoint>): Promise<number> {
  for (;;) {
    const port = /on https?:\/\/[^:]+:(\d+)\/graphql/.exec(run.output())?.[1];
    if (port) return Number(port);
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}:\n${run.output()}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Docker's HEALTHCHECK command against a port, with the container's environment: its exit code. */
function healthcheck(env: Record<string, string>, port: number): Promise<number | null> {
  const child = spawn(process.execPath, ['deploy/healthcheck.mjs'], { cwd: root, env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  return new Promise((ok) => child.once('exit', (code) => ok(code)));
}

describe('deploy/entrypoint.sh', () => {
  it('refuses an unknown part with its usage and exit code 64', async () => {
    const run = entrypoint(['worker'], {});
    expect(await run.exit).toBe(64);
    expect(run.output()).toContain('usage: gateway | subgraph');
  });

  it.each([
    ['folkreg-gateway', ['gateway']],
    ['folkreg-person', ['subgraph', 'person']],
  ])('starts %s with its manifest environment: the health check passes, and SIGTERM stops it with exit 0', async (workload, args) => {
    const env = await environmentOf(workload);
    const run = entrypoint(args, env);
    const port = await listening(run);
    expect(await healthcheck(env, port)).toBe(0);
    // exec: the shell became node, so the signal reaches the launcher's drain directly.
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain('stopped.');
    expect(await healthcheck(env, port)).toBe(1);
  });

  // A whole migration of the embedded database in a child process: tens of seconds on a loaded machine.
  it('migrates as the Job does, and fails with exit 1 when the database is unreachable (the Job retries)', { timeout: 180_000 }, async () => {
    const env = await environmentOf('folkreg-migrate');
    const failed = entrypoint(['migrate'], { ...env, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    expect(await failed.exit).toBe(1);
    expect(failed.output()).toContain('Migration failed');
    // On a Postgres server, this file's database (already migrated: the run is a no-op, as a Job's second
    // run is); without one, the embedded database, which the same command migrates from scratch.
    const database = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const { DATABASE_URL: _url, ...embedded } = env;
    const applied = entrypoint(['migrate'], database?.url ? { ...env, DATABASE_URL: database.url } : { ...embedded, DATA_DIR: dataDir });
    expect(await applied.exit, applied.output()).toBe(0);
    expect(applied.output()).toContain('Migrations applied.');
    await database?.dispose();
  });
});
