import { describe, expect, it } from 'vitest';
import { createReadiness, readinessResponse, redisCheck } from './readiness.js';

describe('readiness', () => {
  it('is ready only when every check passes; a throwing or silent check fails with why', async () => {
    const readiness = createReadiness(
      {
        fine: () => ({ ok: true }),
        broken: () => {
          throw new Error('outer', { cause: new Error("Table 'packets' doesn't exist") });
        },
        silent: () => new Promise(() => {}),
      },
      { timeoutMs: 50, cacheMs: 0 },
    );
    const report = await readiness.report();
    expect(report).toEqual({
      status: 'not_ready',
      checks: {
        fine: { ok: true },
        broken: { ok: false, detail: "Table 'packets' doesn't exist" },
        silent: { ok: false, detail: 'no answer within 50 ms' },
      },
    });
    const res = readinessResponse(report);
    expect([res.status, await res.json()]).toEqual([503, report]);
  });

  it('answers concurrent and quick repeat probes from one run of the checks', async () => {
    let runs = 0;
    let t = 0;
    const readiness = createReadiness({ counted: () => ({ ok: true, runs: ++runs }) }, { now: () => t });
    await Promise.all([readiness.report(), readiness.report(), readiness.report()]);
    expect(runs).toBe(1);
    t += 100;
    expect((await readiness.report()).status).toBe('ready');
    expect(runs).toBe(1);
    t += 1_000;
    await readiness.report();
    expect(runs).toBe(2);
  });

  it('names the Redis connections that are not up', () => {
    expect(redisCheck(() => ({ limiter: 'ready', queue: 'reconnecting' }))()).toMatchObject({
      ok: false,
      detail: 'not connected: queue (reconnecting)',
    });
  });
});
