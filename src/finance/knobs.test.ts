import { describe, expect, it } from 'vitest';
import { isRedpktError } from '../domain/errors.js';
import { DEFAULT_KNOBS, createKnobs } from './knobs.js';
import { chance, createSeededRandom } from './random.js';

describe('knobs', () => {
  it('starts at the defaults, applies partial updates and resets', () => {
    const knobs = createKnobs({ latencyMs: 5 });
    expect(knobs.get()).toEqual({ ...DEFAULT_KNOBS, latencyMs: 5 });
    expect(knobs.set({ holdOrders: true })).toEqual({ ...DEFAULT_KNOBS, latencyMs: 5, holdOrders: true });
    expect(knobs.reset()).toEqual(DEFAULT_KNOBS);
  });

  it('refuses rates outside 0..1, negative delays and unknown knobs, keeping the old values', () => {
    const knobs = createKnobs();
    for (const bad of [
      { failureRate: 1.5 },
      { dropCallbacks: -0.1 },
      { callbackDelayMs: -1 },
      { latencyMs: 0.5 },
      { nope: 1 },
    ]) {
      let code: string | undefined;
      try {
        knobs.set(bad as never);
      } catch (e) {
        code = isRedpktError(e) ? e.code : 'other';
      }
      expect(code).toBe('VALIDATION_FAILED');
    }
    expect(knobs.get()).toEqual(DEFAULT_KNOBS);
  });
});

describe('seeded random', () => {
  it('repeats the same sequence for the same seed and stays in [0, 1)', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it('rolls dice close to the asked rate, and never or always at 0 and 1', () => {
    const random = createSeededRandom(7);
    const hits = Array.from({ length: 10_000 }, () => chance(random, 0.3)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2_800);
    expect(hits).toBeLessThan(3_200);
    expect(Array.from({ length: 100 }, () => chance(random, 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => chance(random, 1)).every(Boolean)).toBe(true);
  });
});
