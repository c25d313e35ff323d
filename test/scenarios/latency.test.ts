import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, recordMs, summarize } from '../../src/scenarios/latency.js';

describe('recordMs', () => {
  it('fills the same counts as the library recordValue, value for value', () => {
    const fast = createLatencyHistogram();
    const reference = createLatencyHistogram();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // every octave from 1 µs to past the tracked range (60 s), exact powers of two and their neighbours
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) values.push(Math.round(Math.exp(next() * Math.log(90_000_000))));
    for (let k = 0; k <= 30; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
    values.push(2 ** 31 + 5, 3_000_000_000);
    for (const us of values) {
      recordMs(fast, us / 1000);
      reference.recordValue(Math.max(1, us));
    }
    expect(fast.totalCount).toBe(reference.totalCount);
    expect(fast.minNonZeroValue).toBe(reference.minNonZeroValue);
    expect(fast.maxValue).toBe(reference.maxValue);
    for (const p of [1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
      expect(fast.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
    }
    // the whole distribution, bucket by bucket
    expect(fast.outputPercentileDistribution()).toBe(reference.outputPercentileDistribution());
  });

  it('rounds to whole microseconds and never records below 1 µs', () => {
    const h = createLatencyHistogram();
    recordMs(h, 0);
    recordMs(h, 0.0004);
    recordMs(h, 12.3456);
    expect(h.minNonZeroValue).toBe(1);
    expect(summarize(h).max).toBe(12.346);
  });
});
