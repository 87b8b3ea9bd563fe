import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when DATA_DIR holds something that is not folkreg's: never overwrite it. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

const MARKER = 'folkreg.json';

/**
 * Makes sure `dir` is empty (then marks it as ours) or already marked as folkreg's. A folder with other
 * content is refused rather than overwritten.
 */
export function claimDataDir(dir: string): void {
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(marker, 'utf8'));
    } catch {
      throw new DataDirError(`${marker} is not valid JSON: DATA_DIR ${dir} looks corrupt. Move it away or choose another DATA_DIR.`);
    }
    if ((parsed as { app?: string })?.app !== 'folkreg') {
      throw new DataDirError(`${dir} belongs to another application (${marker}). Choose another DATA_DIR.`);
    }
    return;
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new DataDirError(`DATA_DIR ${dir} is not empty and was not created by folkreg (no ${MARKER}). Refusing to touch it: choose an empty or new folder.`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, JSON.stringify({ app: 'folkreg', createdAt: new Date().toISOString() }, null, 2) + '\n');
}
