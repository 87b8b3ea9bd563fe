import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfileInstructions, reachableFrom, root, type Instruction } from '../support/deploy.js';

/**
 * deploy/Dockerfile and its entry point, read as text: these machines have no container runtime, so the
 * image is never built here. What a build or a start would find out late is checked instead: stages,
 * user, health check, signal, and that what the launchers load is in the image and installed there.
 */
const dockerfile = dockerfileInstructions(readFileSync(join(root, 'deploy/Dockerfile'), 'utf8'));
const entrypoint = readFileSync(join(root, 'deploy/entrypoint.sh'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** The stages, by name, each with its instructions (FROM … AS name starts one). */
function stages(instructions: Instruction[]): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] | null = null;
  for (const i of instructions) {
    if (i.keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(i.args)?.[1] ?? `#${byName.size}`;
      byName.set(name, (current = []));
    }
    current?.push(i);
  }
  return byName;
}

const byStage = stages(dockerfile);
const runtime = [...byStage.values()].at(-1)!;
const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1)?.args;
/** `["a", "b"]` (exec form) as its words. */
const execForm = (args: string | undefined) => JSON.parse(args ?? 'null') as string[];

/** The parts deploy/entrypoint.sh runs, each with the module it starts: `gateway) exec node --import tsx launch/gateway.ts`. */
const parts = new Map([...entrypoint.matchAll(/^\s*([a-z]+)\) exec node --import tsx (\S+\.ts)/gm)].map((m) => [m[1]!, m[2]!]));

describe('deploy/Dockerfile', () => {
  it('is multi-stage: the runtime stage ships the production dependencies of `npm ci --omit=dev`, and sources a checking stage type-checked', () => {
    expect(byStage.size).toBeGreaterThanOrEqual(2);
    const copies = runtime.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from='));
    const from = (path: string) => copies.find((c) => c.args.split(/\s+/).includes(path))?.args.match(/--from=(\S+)/)?.[1];
    const dependencies = byStage.get(from('/app/node_modules') ?? '');
    expect(dependencies?.some((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    const sources = byStage.get(from('/app/kernel') ?? '');
    expect(sources?.some((i) => i.keyword === 'RUN' && /\btsc --noEmit\b/.test(i.args))).toBe(true);
    // tsx runs the launchers, so it must be a production dependency.
    expect(pkg.dependencies).toHaveProperty('tsx');
  });

  it('runs as a numeric non-root user, stops on SIGTERM and checks /healthz', () => {
    const user = last('USER') ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric: Kubernetes' runAsNonRoot can only verify a number
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    const check = last('HEALTHCHECK') ?? '';
    const command = execForm(check.slice(check.indexOf('CMD') + 3).trim());
    expect(command[0]).toBe('node');
    expect(existsSync(join(root, command[1]!))).toBe(true);
    expect(readFileSync(join(root, command[1]!), 'utf8')).toContain("'/healthz'");
  });

  it('starts the entry point, which starts a launcher that exists for each part', () => {
    expect(execForm(last('ENTRYPOINT'))).toEqual(['sh', 'deploy/entrypoint.sh']);
    expect([...parts.keys()]).toEqual(['gateway', 'subgraph', 'migrate']);
    for (const module of parts.values()) expect(existsSync(join(root, module)), module).toBe(true);
    expect(parts.has(execForm(last('CMD'))[0]!)).toBe(true);
  });

  // The launchers run from sources, so what they import at run time must be both copied and installed:
  // a development dependency reached through a tool module (schema/compose.ts once was) would only fail
  // when the container starts.
  describe.each([...parts])('%s (%s)', (_part, module) => {
    const reachable = reachableFrom([module]);
    const copies = runtime.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from='));
    const paths = (from: Instruction[]) => from.flatMap((i) => i.args.split(/\s+/).slice(1, -1)).map((path) => path.replace(/^\/app\//, ''));
    const copied = paths(copies);
    // What comes from the build context (a stage's `COPY . .`), not installed inside the image.
    const fromContext = paths(copies.filter((i) => byStage.get(/--from=(\S+)/.exec(i.args)![1]!)?.some((s) => s.keyword === 'COPY' && s.args === '. .')));

    it('loads only files the runtime stage copies, and .dockerignore keeps', () => {
      const missing = [...reachable.files].filter((file) => !copied.some((path) => file === path || file.startsWith(`${path}/`)));
      expect(missing).toEqual([]);
      expect(fromContext.length).toBeGreaterThan(0);
      for (const path of fromContext) expect(dockerignore, path).not.toContain(path);
    });

    it('imports only production dependencies', () => {
      const undeclared = [...reachable.packages].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (${file})`);
      expect(undeclared).toEqual([]);
    });
  });
});
