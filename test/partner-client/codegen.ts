import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * How a partner generates a typed client from folkreg's published contract: GraphQL Code Generator's
 * client preset over `schema/api.graphql` and the partner's own operations. `persistedDocuments`
 * also writes `persisted-documents.json`, the manifest folkreg's trusted-documents mode accepts.
 */
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['test/partner-client/src/**/*.ts'],
  ignoreNoDocuments: false,
  generates: {
    'test/partner-client/gql/': {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string' }, useTypeImports: true },
    },
  },
};
export default config;
