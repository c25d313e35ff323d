import { CoarseHistogram } from './coarse-histogram.js';

/**
 * Latency over time for one step, in fixed-width buckets from the run's start. When a run
 * outlives `maxBuckets`, neighbouring buckets are merged and the width doubles, so memory stays
 * bounded however long the run is.
 */
export interface TimelineBucket {
  count: number;
  errors: number;
  hist: CoarseHistogram;
}

export interface TimelinePoint {
  /** Start of the bucket, milliseconds after the run's start. */
  t: number;
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** A timeline as a result file keeps it: `[index, count, errors, …CoarseHistogram.encode()]` per bucket. */
export interface EncodedTimeline {
  bucketMs: number;
  buckets: number[][];
}

export interface Timeline {
  readonly bucketMs: number;
  record(atMs: number, latencyMs: number | undefined, failed: boolean): void;
  merge(other: Timeline): void;
  points(): TimelinePoint[];
  /** Internal, for merging. */
  buckets(): readonly (TimelineBucket | undefined)[];
  coarsenTo(bucketMs: number): void;
  encode(): EncodedTimeline;
}

export function createTimeline(startMs: number, bucketMs = 1000, maxBuckets = 600): Timeline {
  let width = bucketMs;
  let buckets: (TimelineBucket | undefined)[] = [];

  const coarsen = () => {
    const merged: (TimelineBucket | undefined)[] = [];
    for (let i = 0; i < buckets.length; i += 2) merged.push(mergeBuckets(buckets[i], buckets[i + 1]));
    buckets = merged;
    width *= 2;
  };

  const bucketAt = (index: number): TimelineBucket => {
    let b = buckets[index];
    if (!b) {
      while (buckets.length < index) buckets.push(undefined);
      b = { count: 0, errors: 0, hist: new CoarseHistogram() };
      buckets[index] = b;
    }
    return b;
  };

  const self: Timeline = {
    get bucketMs() {
      return width;
    },
    record(atMs, latencyMs, failed) {
      let index = Math.max(0, Math.floor((atMs - startMs) / width));
      while (index >= maxBuckets) {
        coarsen();
        index = Math.max(0, Math.floor((atMs - startMs) / width));
      }
      const b = bucketAt(index);
      b.count++;
      if (failed) b.errors++;
      if (latencyMs !== undefined) b.hist.recordMs(latencyMs);
    },
    merge(other) {
      while (width < other.bucketMs) coarsen();
      other.coarsenTo(width);
      other.buckets().forEach((ob, i) => {
        if (!ob) return;
        const b = bucketAt(i);
        b.count += ob.count;
        b.errors += ob.errors;
        b.hist.add(ob.hist);
      });
    },
    coarsenTo(target) {
      while (width < target) coarsen();
    },
    buckets: () => buckets,
    encode() {
      const out: number[][] = [];
      buckets.forEach((b, i) => {
        if (b) out.push([i, b.count, b.errors, ...b.hist.encode()]);
      });
      return { bucketMs: width, buckets: out };
    },
    points() {
      const out: TimelinePoint[] = [];
      buckets.forEach((b, i) => {
        if (!b) return;
        const h = b.hist;
        out.push({
          t: i * width,
          count: b.count,
          errors: b.errors,
          p50: h.percentileMs(50),
          p99: h.percentileMs(99),
          max: h.maxMs(),
        });
      });
      return out;
    },
  };
  return self;
}

function mergeBuckets(
  a: TimelineBucket | undefined,
  b: TimelineBucket | undefined,
): TimelineBucket | undefined {
  if (!a) return b;
  if (!b) return a;
  a.count += b.count;
  a.errors += b.errors;
  a.hist.add(b.hist);
  return a;
}

/** A timeline from `Timeline.encode()` (a result file's); a malformed one is a RangeError. */
export function decodeTimeline(data: EncodedTimeline, maxBuckets = 600): Timeline {
  const t = createTimeline(0, data.bucketMs, Math.max(maxBuckets, data.buckets.length + 1));
  const parts = t.buckets() as (TimelineBucket | undefined)[];
  for (const row of data.buckets) {
    const [index, count, errors] = row;
    if (![index, count, errors].every((n) => Number.isSafeInteger(n) && n! >= 0) || index! > 1_000_000)
      throw new RangeError('bad timeline bucket');
    while (parts.length < index!) parts.push(undefined);
    parts[index!] = { count: count!, errors: errors!, hist: CoarseHistogram.decode(row.slice(3)) };
  }
  return t;
}
