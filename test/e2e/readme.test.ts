import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { untilBanner } from '../support/launched.js';

/**
 * The README's commands, run as a newcomer copies them: every `npm run …` it shows is a script, and the
 * quick start (`npm start`, `TOKEN=$(npm run -s token …)`, the first curl) answers with data. The README
 * is read at test time, so editing a command there without making it work fails here.
 */
const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const run = promisify(execFile);

/** The README's ```sh blocks. */
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** Commands written inline in prose, e.g. `npm run compose`. */
const inlineCommands = [...readme.matchAll(/`([^`\n]*\bnpm [^`\n]*)`/g)].map((m) => m[1]!);

/** Script names a text runs: `npm run [-s] <name>`, `npm start`, `npm test`. */
function scriptsIn(text: string): string[] {
  return [...text.matchAll(/\bnpm (?:run (?:-s )?([\w:-]+)|(start|test)\b)/g)].map((m) => (m[1] ?? m[2])!);
}

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  // A failed assertion must not leave the stack running: kill the whole group npm started.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** `npm start` on a fresh DATA_DIR and a free port; resolves with the gateway's port once the banner is out. */
function npmStart(dataDir: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn('npm', ['start'], {
    cwd: root,
    // Its own process group, so npm, tsx and the stack stop together.
    detached: true,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', SEED_PERSONS: '60', IDE: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return untilBanner(child).then(({ port, output }) => ({ child, port, output }));
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    killGroup(child, 'SIGTERM');
  });
}

describe('README commands', () => {
  it('every `npm run …`, `npm start` and `npm test` it shows is a script of package.json', () => {
    const named = [...shellBlocks, ...inlineCommands].flatMap(scriptsIn);
    expect(named).toEqual(expect.arrayContaining(['start', 'test', 'token', 'compose', 'schema:check', 'bench', 'keys', 'migrate', 'seed']));
    const missing = [...new Set(named)].filter((name) => !(name in scripts));
    expect(missing).toEqual([]);
  });

  it('`npm test` type-checks and runs every suite with vitest; `npm run compose` runs the composition script', () => {
    // As the README's "Tests" section says (not run here: this file is part of that suite). What compose
    // writes is checked against the committed files by test/unit/schema.test.ts.
    // The administration UI (admin/) is a browser app with a tsconfig of its own.
    expect(scripts.test).toBe('tsc --noEmit -p . && tsc --noEmit -p admin && npm run -s lint && vitest run');
    expect(scripts.lint).toBe('npm run -s lint:deps && eslint . && prettier --check . --log-level warn');
    expect(scripts['lint:deps']).toMatch(/^depcruise .* --config .dependency-cruiser.cjs/);
    expect(scripts.compose).toBe('tsx schema/compose.ts');
    expect(scripts.token).toBe('tsx launch/token.ts');
  });

  it('the quick start: npm start, TOKEN=$(npm run -s token …), and the first curl answers with change events', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'folkreg-readme-'));
    dirs.push(dataDir);
    const quickStart = shellBlocks.find((block) => block.includes('TOKEN=$(npm run -s token'));
    expect(quickStart, 'the README shows how to get a token').toBeDefined();
    const tokenLine = quickStart!.split('\n').find((line) => line.startsWith('TOKEN='))!;
    expect(tokenLine).toContain('--scope "folkreg:read"');
    const env = { ...process.env, DATA_DIR: dataDir };

    const stack = await npmStart(dataDir);
    // The start banner tells the same command.
    expect(stack.output()).toContain('npm run -s token -- --scope "folkreg:read"');

    // The token line on its own: it prints exactly one JWT (npm -s adds nothing), signed for the dev stack.
    const { stdout: printed } = await run('sh', ['-c', `${tokenLine}\nprintf '%s' "$TOKEN"`], { cwd: root, env });
    expect(printed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeJwt(printed)).toMatchObject({ iss: 'folkreg-dev', aud: 'folkreg', scope: 'folkreg:read' });

    // The whole block, verbatim but for the port of this stack.
    const block = quickStart!.replaceAll('localhost:4000', `localhost:${stack.port}`);
    const { stdout } = await run('sh', ['-c', block], { cwd: root, env });
    const answer = JSON.parse(stdout);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.changeEvents.edges).toHaveLength(3);
    const withPerson = answer.data.changeEvents.edges.find((e: any) => e.node.person);
    expect(withPerson.node.person.name.familyName).toBeTruthy();
    expect(withPerson.node.person.identifier.display).toMatch(/^\d{6,8}-\d{4}$/);

    await stop(stack.child);
  });
});
