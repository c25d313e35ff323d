import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // issue 22: the Spark comparison is opt-in (npm run test:spark, vitest.spark.config.ts)
    exclude: [...configDefaults.exclude, 'test/spark/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two forks on the 2-core machines: most files wait on HTTP, MariaDB and timers, so two run
    // side by side in ~4.4 min where one at a time (the default, cores - 1) takes ~5.4 min.
    maxWorkers: 2,
  },
});
