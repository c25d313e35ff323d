import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextShare, splitAll } from './split.js';

describe('split', () => {
  it('gives shares that sum to the amount, each at least 1 fen, for 10,000 random packets', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 10_000 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.integer({ min: count, max: 2_000_000 }),
              fc.constantFrom('random', 'fixed' as const),
            ),
          ),
        fc.integer(),
        ([count, total, mode], seed) => {
          let state = seed >>> 0;
          const random = (n: number) => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state % n;
          };
          const shares = splitAll(mode as 'random' | 'fixed', total, count, random);
          let sum = 0;
          let smallest = Infinity;
          for (const s of shares) {
            if (!Number.isSafeInteger(s)) return false;
            sum += s;
            smallest = Math.min(smallest, s);
          }
          return shares.length === count && sum === total && smallest >= 1;
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('splits fixed packets evenly and spreads the remainder 1 fen at a time', () => {
    expect(splitAll('fixed', 1000, 3)).toEqual([334, 333, 333]);
    expect(splitAll('fixed', 11, 3)).toEqual([4, 4, 3]);
    expect(splitAll('fixed', 5, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('keeps random shares below twice the mean of what is left', () => {
    const top = (n: number) => n - 1;
    expect(nextShare('random', 1000, 10, top)).toBe(199);
    expect(nextShare('random', 1000, 10, () => 0)).toBe(1);
    // the last share takes the rest
    expect(nextShare('random', 777, 1, top)).toBe(777);
  });

  it('never lets a random share starve later claimers of their 1 fen', () => {
    const top = (n: number) => n - 1;
    expect(splitAll('random', 3, 3, top)).toEqual([1, 1, 1]);
    expect(splitAll('random', 4, 3, top)).toEqual([1, 2, 1]);
  });

  it('refuses to split less than 1 fen per share', () => {
    expect(() => nextShare('random', 2, 3)).toThrow(RangeError);
    expect(() => nextShare('fixed', 0, 1)).toThrow(RangeError);
  });
});
