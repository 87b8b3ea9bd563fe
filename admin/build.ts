/**
 * `npm run build:admin`: the administration UI built by Vite into admin/dist (production: deploy/Dockerfile's
 * build stage). `npm start` calls `ensureAdminBuilt` instead, which builds only when a source changed since
 * the last build. Vite is a development dependency, imported here only when a build runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADMIN_DIST, ADMIN_ROOT } from './manifest.js';

const STAMP = '.sources';

/** A fingerprint of every source file (path, size, mtime): a build is current when its stamp matches. */
function sourcesFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${relative(ADMIN_ROOT, path)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(ADMIN_ROOT, 'src'));
  for (const file of ['index.html', 'build.ts']) hash.update(`${file}\0${statSync(join(ADMIN_ROOT, file)).mtimeMs}\n`);
  return hash.digest('hex');
}

/**
 * Builds into a folder beside `outDir`, then swaps it in: a gateway already serving `outDir` (another
 * `npm start`, a test) never reads a half-written build.
 */
export async function buildAdmin(outDir: string = ADMIN_DIST): Promise<void> {
  const staging = `${outDir}.building-${process.pid}`;
  await viteBuild(staging);
  writeFileSync(join(staging, STAMP), sourcesFingerprint());
  const old = `${outDir}.old-${process.pid}`;
  try {
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
  } catch (err) {
    // Another process building the same sources at once put its build in place first: keep that one.
    if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((err as NodeJS.ErrnoException).code ?? '') || !existsSync(outDir)) throw err;
  } finally {
    rmSync(old, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

async function viteBuild(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    root: ADMIN_ROOT,
    configFile: false,
    // Relative asset URLs: the page works under /admin/ and behind a path prefix.
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      // No inline script of Vite's own: the page's CSP allows scripts of the same origin only.
      modulePreload: { polyfill: false },
      sourcemap: false,
      reportCompressedSize: false,
    },
  });
}

/** Builds when admin/dist is missing or older than a source; says which. */
export async function ensureAdminBuilt(outDir: string = ADMIN_DIST): Promise<'current' | 'built'> {
  const stamp = join(outDir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === sourcesFingerprint()) return 'current';
  await buildAdmin(outDir);
  return 'built';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  await buildAdmin(process.argv[2] ?? ADMIN_DIST);
  console.log(`admin UI built into ${relative(process.cwd(), process.argv[2] ?? ADMIN_DIST)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
