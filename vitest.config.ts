import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Three projects, run together by `npm test` or one at a time with `--project`: unit (no database, no
 * server: seconds), integration (one subgraph or the database at a time), e2e (the whole stack over real
 * HTTP and websockets, or a launched process). Each inherits the settings below (`extends: true`).
 */
export default defineConfig({
  resolve: {
    // Node (and so production) loads graphql's CommonJS build for the Apollo packages; vite would give our
    // own imports the .mjs build, and graphql refuses types from a second copy of itself.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    setupFiles: ['test/support/log-level.ts'],
    pool: 'forks',
    // Two cores: more workers only queue on the CPU and the database.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // The projects with a database migrate one template database each (with DATABASE_URL set).
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] } },
    ],
  },
});
