import { defineConfig } from 'vitest/config';

/**
 * The tests on the real single-node cluster (test/cluster/): one cluster and one deployed stack for all of them,
 * brought up by the global setup; files run one at a time because they share it.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
