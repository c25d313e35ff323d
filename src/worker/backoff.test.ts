import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from the base on each attempt, between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 10_000, () => 0.999999))).toStrictEqual([
      100, 200, 400, 800,
    ]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 10_000, () => 0))).toStrictEqual([50, 100, 200, 400]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffMs(60, 1000, 5000, () => 0.999999)).toBe(5000);
    expect(backoffMs(10_000, 1000, 5000, () => 0.5)).toBeLessThanOrEqual(5000);
  });
});
