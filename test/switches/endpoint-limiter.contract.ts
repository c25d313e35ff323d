import { describe, expect, it } from 'vitest';
import type { EndpointLimiter } from '../../src/switches/limit/endpoint-limiter.js';

let n = 0;
const endpoint = () => `ep-${process.pid}-${Date.now()}-${++n}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admitted = (ds: Array<{ kind: string }>) => ds.filter((d) => d.kind === 'admitted').length;

/** One behaviour, two twins: endpoint-limit-1.lua on Redis and the in-process limiter. */
export function endpointLimiterContract(name: string, make: (windowMs: number) => EndpointLimiter) {
  describe(`endpoint limiter (${name})`, () => {
    it('passes a burst up to the limit and tells the rest when to retry', async () => {
      const limiter = make(1000);
      const e = endpoint();
      const ds = await Promise.all(Array.from({ length: 60 }, () => limiter.admit(e, 20)));
      expect(admitted(ds)).toBe(20);
      for (const d of ds) {
        if (d.kind !== 'limited') continue;
        expect(d.retryAfterMs).toBeGreaterThan(0);
        expect(d.retryAfterMs).toBeLessThanOrEqual(1000);
      }
    });

    it('keeps endpoints apart', async () => {
      const limiter = make(1000);
      const [a, b] = [endpoint(), endpoint()];
      const ra = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(a, 3)));
      const rb = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(b, 7)));
      expect([admitted(ra), admitted(rb)]).toEqual([3, 7]);
    });

    it('holds the rate over several windows under steady overload', async () => {
      // windows long enough that an event loop stalled by a busy machine (tens of ms) still
      // offers far more than the limit in each of them: the test measures the limiter, not the host
      const windowMs = 250;
      const limit = 10;
      const limiter = make(windowMs);
      const e = endpoint();
      // warm up one window so the sliding estimate has a previous window
      const started = Date.now();
      let passed = 0;
      let measuredFrom = 0;
      while (Date.now() - started < 7 * windowMs) {
        const inWarmUp = Date.now() - started < 2 * windowMs;
        if (!inWarmUp && measuredFrom === 0) measuredFrom = Date.now();
        const ds = await Promise.all(Array.from({ length: 5 }, () => limiter.admit(e, limit)));
        if (!inWarmUp) passed += admitted(ds);
        await sleep(2);
      }
      const windows = (Date.now() - measuredFrom) / windowMs;
      const ratio = passed / (windows * limit);
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.2);
    });

    it('takes a higher limit at once', async () => {
      const limiter = make(1000);
      const e = endpoint();
      expect(admitted(await Promise.all(Array.from({ length: 10 }, () => limiter.admit(e, 5))))).toBe(5);
      expect(admitted(await Promise.all(Array.from({ length: 10 }, () => limiter.admit(e, 8))))).toBe(3);
    });
  });
}
