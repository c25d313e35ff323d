import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, recordMs, summarize } from './latency.js';
import { createMetrics } from './metrics.js';
import { encodeIntoCompressedBase64, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { CoarseHistogram } from './coarse-histogram.js';
import { decodeTimeline } from './timeline.js';

/** The exact p-th percentile of samples (nearest rank), in ms. */
function exact(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('result file encoding', () => {
  it('merged HDR percentiles of encoded segments equal the pooled samples within 3 significant digits', () => {
    const latency = fc.double({ min: 0.01, max: 30_000, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.array(latency, { minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 5 }),
        (parts) => {
          const merged = createLatencyHistogram();
          for (const part of parts) {
            const h = createLatencyHistogram();
            for (const ms of part) recordMs(h, ms);
            // through the file: compressed base64 and back
            merged.add(decodeFromCompressedBase64(encodeIntoCompressedBase64(h)));
          }
          const pooled = parts.flat().map((ms) => Math.max(1, Math.round(ms * 1000)) / 1000);
          const s = summarize(merged);
          const close = (actual: number, expected: number) =>
            // 3 significant digits: within 0.1% (plus the µs rounding of the summary)
            expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 0.001);
          close(s.p50, exact(pooled, 50));
          close(s.p90, exact(pooled, 90));
          close(s.p99, exact(pooled, 99));
          close(s.max, Math.max(...pooled));
          expect(merged.totalCount).toBe(pooled.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a timeline bucket for bucket (counts, failures, latency bins)', () => {
    const m = createMetrics({ steps: ['claim'], startMs: 0, now: () => 0 });
    for (let i = 0; i < 5000; i++)
      m.record('claim', (i % 97) + 0.5, i % 50 === 0 ? 'HTTP_502' : undefined, i * 2);
    const t = m.step('claim').timeline;
    const back = decodeTimeline(JSON.parse(JSON.stringify(t.encode())));
    expect(back.points()).toEqual(t.points());
    const h = new CoarseHistogram();
    for (let i = 1; i < 400; i++) h.recordMs(i / 3);
    const copy = CoarseHistogram.decode(h.encode());
    expect([copy.totalCount, copy.percentileMs(50), copy.percentileMs(99), copy.maxMs()]).toEqual([
      h.totalCount,
      h.percentileMs(50),
      h.percentileMs(99),
      h.maxMs(),
    ]);
    expect(() => CoarseHistogram.decode([1, 9999, 1])).toThrow(RangeError);
  });
});
