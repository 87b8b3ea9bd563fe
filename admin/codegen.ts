import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen:admin`: the administration UI's typed client, GraphQL Code Generator's client preset
 * over the published contract and the app's own operations (admin/src/operations.ts). Checked in, so a
 * clean clone builds without running it; `persisted-documents.json` is what the gateway registers as the
 * app's trusted documents.
 */
const OUT = 'admin/src/gql/';
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['admin/src/operations.ts'],
  ignoreNoDocuments: false,
  generates: {
    [OUT]: {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string' }, useTypeImports: true },
    },
  },
};
export default config;

/** What `npm run codegen:admin` would write now (run from the repository's root): path → content. */
export async function generateAdminClient(): Promise<Map<string, string>> {
  // The CLI is a development dependency: loaded only when asked (the launchers import manifest.ts, never this).
  const { generate } = await import('@graphql-codegen/cli');
  const files: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
  return new Map(files.map((f) => [f.filename, f.content]));
}

/**
 * The files of admin/src/gql/ that differ from what `npm run codegen:admin` gives for admin/src/operations.ts,
 * missing ones included, and files there it no longer writes.
 */
export async function staleAdminClient(generated?: Map<string, string>): Promise<string[]> {
  const fresh = generated ?? (await generateAdminClient());
  const stale = [...fresh].filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text).map(([path]) => path);
  const extra = readdirSync(OUT)
    .map((name) => `${OUT}${name}`)
    .filter((path) => !fresh.has(path));
  return [...stale, ...extra].sort();
}
