import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/**
 * Latency histograms record integer microseconds (1 µs .. 60 s tracked exactly to 3 significant
 * digits; auto-resize keeps longer values rather than throwing). Memory is fixed per histogram,
 * whatever the run length, and two histograms merge with `add`.
 */
const HIGHEST_US = 60_000_000;

export function createLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
}

/**
 * The fields of hdr-histogram-js's `JsHistogram` that `recordMs` uses: public at run time (plain
 * properties and methods of the class), absent from its type declarations.
 */
interface JsHistogramInternals {
  unitMagnitude: number;
  subBucketHalfCountMagnitude: number;
  subBucketHalfCount: number;
  countsArrayLength: number;
  incrementCountAtIndex(index: number): void;
  updateMinAndMax(value: number): void;
  incrementTotalCount(): void;
}

/**
 * Records one latency (two per request in `redpkt load`: the step and the whole flow). The same
 * counts index as the library's `recordValue`, computed with `Math.clz32` instead of its
 * `Math.floor(Math.log2(v))` and `Math.pow` (a tenth of the runner's own CPU in
 * `npm run bench:generator`); values it cannot place that way (past 2^31 µs, past the counts
 * array, a histogram of another kind) go through `recordValue` itself.
 */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.max(1, Math.round(ms * 1000));
  const j = h as unknown as JsHistogramInternals;
  if (us < 0x80000000 && typeof j.incrementCountAtIndex === 'function') {
    const bucket = Math.max(31 - Math.clz32(us) - j.subBucketHalfCountMagnitude - j.unitMagnitude, 0);
    const index =
      ((bucket + 1) << j.subBucketHalfCountMagnitude) +
      (us >>> (bucket + j.unitMagnitude)) -
      j.subBucketHalfCount;
    if (index < j.countsArrayLength) {
      j.incrementCountAtIndex(index);
      j.updateMinAndMax(us);
      j.incrementTotalCount();
      return;
    }
  }
  h.recordValue(us);
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

const toMs = (us: number): number => Math.round(us) / 1000;

/**
 * Percentiles in milliseconds (µs precision); all 0 for an empty histogram. HDR answers the top
 * of a value's bucket, which can lie a hair above the exact maximum: capped at the maximum.
 */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const max = h.maxValue;
  const at = (p: number) => toMs(Math.min(h.getValueAtPercentile(p), max));
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: toMs(max) };
}
