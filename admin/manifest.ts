import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the launchers need of the administration UI at run time, with no build tool: where its built
 * files are and its registered operations (GraphQL Code Generator's `persisted-documents.json`, checked in).
 */
export const ADMIN_ROOT = dirname(fileURLToPath(import.meta.url));
export const ADMIN_DIST = join(ADMIN_ROOT, 'dist');
const DOCUMENTS = join(ADMIN_ROOT, 'src/gql/persisted-documents.json');

/** The app's operations, `sha256 → document`, registered as trusted documents of its client id. */
export function adminDocuments(): Map<string, string> {
  if (!existsSync(DOCUMENTS)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(DOCUMENTS, 'utf8')) as Record<string, string>));
}
