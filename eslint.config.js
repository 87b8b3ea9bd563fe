// typescript-eslint's recommended rules over the product and its tests; `npm test` runs it (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated resolver types (npm run codegen) are checked against their SDL, not linted.
  {
    ignores: [
      '.dependency-cruiser.cjs',
      'node_modules/',
      'test/partner-client/',
      'gateway/ide/page.js',
      '.data/',
      'test/bench/results/',
      'subgraphs/*/generated/',
      'admin/dist/',
      'admin/dist.*/',
      'admin/src/gql/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Tests read untyped JSON answers; the product may not.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
