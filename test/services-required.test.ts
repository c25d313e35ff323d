import { describe, expect, it } from 'vitest';
import { inCi, mysqlAvailable, redisAvailable } from './support/services.js';

describe('the integration services', () => {
  it.runIf(inCi)(
    'are reachable in CI (a missing MariaDB or Redis fails the run, never skips it)',
    async () => {
      expect(await mysqlAvailable()).toBe(true);
      expect(await redisAvailable()).toBe(true);
    },
  );

  it('refuse a database whose name does not say test', async () => {
    const { assertTestDatabaseName } = await import('./support/services.js');
    expect(() => assertTestDatabaseName('redpkt')).toThrow(/must say test/);
    expect(() => assertTestDatabaseName('redpkt_test_x')).not.toThrow();
  });
});
