import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate } from '../../src/scenarios/duration.js';
import { arrivalMs, workerStartMs } from '../../src/scenarios/schedule.js';

describe('durations, rates and the arrival schedule', () => {
  it('parses durations and rates, and refuses nonsense as usage errors', () => {
    expect(parseDuration('60s', '--d')).toBe(60_000);
    expect(parseDuration('500ms', '--d')).toBe(500);
    expect(parseDuration('1.5m', '--d')).toBe(90_000);
    expect(parseDuration('2', '--d')).toBe(2000);
    expect(parseRate('200/s')).toBe(200);
    expect(parseRate('600/m')).toBe(10);
    expect(parseRate('50')).toBe(50);
    for (const bad of ['', 'soon', '-1s', '1d'])
      expect(() => parseDuration(bad, '--d')).toThrow(/--d must be a duration/);
    expect(() => parseRate('0/s')).toThrow(/above 0/);
    expect(() => parseRate('fast')).toThrow(/--rate/);
  });

  it('spaces arrivals evenly at the rate, and ramps linearly from 0 before that', () => {
    expect([0, 1, 2, 10].map((i) => arrivalMs(i, 100, 0))).toEqual([0, 10, 20, 100]);
    // Ramp 0 -> 100/s over 1 s: 50 arrivals in the ramp, the rate doubling the count in sqrt(2) of the time.
    expect(arrivalMs(0, 100, 1000)).toBe(0);
    expect(arrivalMs(50, 100, 1000)).toBeCloseTo(1000, 6);
    expect(arrivalMs(60, 100, 1000)).toBeCloseTo(1100, 6);
    expect(arrivalMs(25, 100, 1000) / arrivalMs(50, 100, 1000)).toBeCloseTo(Math.SQRT1_2, 6);
    for (let i = 1; i < 200; i++)
      expect(arrivalMs(i, 100, 1000)).toBeGreaterThan(arrivalMs(i - 1, 100, 1000));
  });

  it('starts closed-model workers evenly across the ramp', () => {
    expect([0, 1, 2, 3].map((k) => workerStartMs(k, 4, 1000))).toEqual([0, 250, 500, 750]);
    expect(workerStartMs(0, 1, 1000)).toBe(0);
  });
});
