import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{model,constructs,collector,compose,dashboards,alerts,stacks,cli}/**/*.test.ts'],
    // The real-cluster tests share one cluster: vitest.cluster.config.ts runs them after these (test/run-tests.sh).
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // The testcontainers reaper (Ryuk) is an image pulled from Docker Hub, which this machine cannot reach;
    // the end-to-end tests take their stacks down themselves.
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
});
