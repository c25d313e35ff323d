import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRedpktError } from '../domain/errors.js';
import { globalIndex, parseSegment, resolveSegment, shareOf } from './segment.js';

describe('segments', () => {
  it('gives shares that sum to the whole exactly, also when the whole does not divide', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 500 }), (total, count) => {
        let sum = 0;
        for (let index = 0; index < count; index++) {
          const share = shareOf(total, { index, count });
          // as even as whole numbers allow: shares differ by at most one
          if (share !== Math.floor(total / count) && share !== Math.ceil(total / count)) return false;
          sum += share;
        }
        return sum === total;
      }),
    );
  });

  it('numbers every item of the whole once: segments are disjoint and together the whole', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.integer({ min: 1, max: 40 }), (total, count) => {
        const seen = new Uint8Array(total);
        for (let index = 0; index < count; index++) {
          const seg = { index, count };
          for (let j = 0; j < shareOf(total, seg); j++) {
            const k = globalIndex(seg, j);
            if (k >= total || seen[k] === 1) return false;
            seen[k] = 1;
          }
        }
        return seen.every((x) => x === 1);
      }),
      { numRuns: 200 },
    );
  });

  it('reads i/N (1-based) from the flag, REDPKT_SEGMENT, or JOB_COMPLETION_INDEX with --segments', () => {
    expect(parseSegment('3/8')).toEqual({ index: 2, count: 8 });
    expect(resolveSegment({ envSegment: '2/4' })).toEqual({ index: 1, count: 4 });
    expect(resolveSegment({ segment: '1/2', envSegment: '2/4' })).toEqual({ index: 0, count: 2 });
    expect(resolveSegment({ segments: '8', jobCompletionIndex: '7' })).toEqual({ index: 7, count: 8 });
    expect(resolveSegment({})).toEqual({ index: 0, count: 1 });
    for (const bad of [
      () => parseSegment('0/3'),
      () => parseSegment('4/3'),
      () => parseSegment('1-3'),
      () => resolveSegment({ segments: '8' }),
      () => resolveSegment({ segments: '8', jobCompletionIndex: '8' }),
      () => resolveSegment({ segment: '1/2', segments: '2' }),
    ]) {
      expect(() => bad()).toThrow();
      try {
        bad();
      } catch (e) {
        expect(isRedpktError(e) && e.code).toBe('USAGE');
      }
    }
  });
});
