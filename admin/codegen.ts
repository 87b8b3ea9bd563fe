import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen:admin`: the administration UI's typed client, GraphQL Code Generator's client preset
 * over the published contract and the app's own operations (admin/src/operations.ts). Checked in, so a
 * clean clone builds without running it; `persisted-documents.json` is what the gateway registers as the
 * app's trusted documents.
 */
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['admin/src/operations.ts'],
  ignoreNoDocuments: false,
  generates: {
    'admin/src/gql/': {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string' }, useTypeImports: true },
    },
  },
};
export default config;
