import { defineConfig } from 'vitest/config';

/**
 * Issue 22: `npm run test:spark`, the opt-in comparison of the recon SQL on Spark (local mode,
 * through pyspark) with DuckDB. Never part of `npm test` (vitest.config.ts excludes test/spark/);
 * skipped with a message saying what to install when pyspark or Java is missing.
 */
export default defineConfig({
  test: {
    include: ['test/spark/**/*.test.ts'],
    // a JVM's start and Spark's first queries take a while on two busy cores
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
