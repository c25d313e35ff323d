import { describe, expect, it } from 'vitest';
import { CoarseHistogram } from '../../src/scenarios/coarse-histogram.js';

/** The exact p-th percentile (nearest rank) of sorted values. */
const exact = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe('the coarse histogram of the time series', () => {
  it('answers percentiles within 6.25% above the exact ones, never above the max, over six decades', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = Array.from({ length: 20_000 }, () => Math.round(10 ** (random() * 7)) / 1000); // 1 µs .. 10 s
    const h = new CoarseHistogram();
    for (const v of values) h.recordMs(v);
    const sorted = values.map((v) => Math.max(0.001, v)).sort((a, b) => a - b);
    for (const p of [1, 10, 50, 90, 99, 99.9, 100]) {
      const want = exact(sorted, p);
      const got = h.percentileMs(p);
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(Math.max(want * 1.0625, want + 0.001));
    }
    expect(h.maxMs()).toBe(sorted[sorted.length - 1]);
    expect(h.totalCount).toBe(20_000);
  });

  it('is exact below 16 µs, and adds another histogram bin by bin', () => {
    const a = new CoarseHistogram();
    const b = new CoarseHistogram();
    for (const us of [1, 2, 3, 15]) a.recordMs(us / 1000);
    for (let i = 0; i < 4; i++) b.recordMs(250);
    expect([a.percentileMs(25), a.percentileMs(50), a.percentileMs(75), a.percentileMs(100)]).toStrictEqual([
      0.001, 0.002, 0.003, 0.015,
    ]);
    a.add(b);
    expect(a.totalCount).toBe(8);
    expect(a.percentileMs(50)).toBe(0.015);
    expect(a.percentileMs(99)).toBe(250);
    expect(new CoarseHistogram().percentileMs(50)).toBe(0);
  });
});
