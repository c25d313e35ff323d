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

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
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
