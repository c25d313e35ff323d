/**
 * The time series' latency histogram: log-linear bins of integer microseconds, exact below 16 µs
 * and 16 bins per power of two above (each at most 1/16 = 6.25% wide, about what a one-digit HDR
 * histogram gives), 448 counters (1.8 KB) whatever the values. Recording is one `Math.clz32` and an
 * increment: a run records twice per iteration into these (the step's and the flow's bucket), so
 * they are kept cheaper than the HDR histograms of the report (./latency.ts), which keep three
 * significant digits. Percentiles answer a bin's top, capped at the largest value recorded.
 */
const SUB_BITS = 4;
const SUB = 1 << SUB_BITS; // bins per power of two, and the exact range below it
const MAX_US = 2 ** 31 - 1; // Math.clz32 works on 32 bits; 2^31 µs is about 36 minutes
const BINS = SUB + (30 - SUB_BITS + 1) * SUB;

function binOf(us: number): number {
  if (us < SUB) return us;
  const e = 31 - Math.clz32(us); // us is in [2^e, 2^(e+1))
  return SUB + (e - SUB_BITS) * SUB + ((us >>> (e - SUB_BITS)) & (SUB - 1));
}

/** The largest value that falls in `bin`. */
function topOf(bin: number): number {
  if (bin < SUB) return bin;
  const e = SUB_BITS + Math.floor((bin - SUB) / SUB);
  const sub = (bin - SUB) % SUB;
  return ((SUB + sub + 1) << (e - SUB_BITS)) - 1;
}

export class CoarseHistogram {
  private readonly counts = new Uint32Array(BINS);
  private total = 0;
  private maxUs = 0;

  get totalCount(): number {
    return this.total;
  }

  recordMs(ms: number): void {
    const us = Math.min(MAX_US, Math.max(1, Math.round(ms * 1000)));
    this.counts[binOf(us)]!++;
    this.total++;
    if (us > this.maxUs) this.maxUs = us;
  }

  add(other: CoarseHistogram): void {
    for (let i = 0; i < BINS; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
  }

  /** The p-th percentile in ms (µs precision); 0 when empty. */
  percentileMs(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.counts[bin]!;
      if (seen >= rank) return Math.min(topOf(bin), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  maxMs(): number {
    return this.maxUs / 1000;
  }

  /** `[maxUs, bin, count, bin, count, …]` for the non-empty bins: what a result file keeps. */
  encode(): number[] {
    const out = [this.maxUs];
    for (let bin = 0; bin < BINS; bin++) if (this.counts[bin]! > 0) out.push(bin, this.counts[bin]!);
    return out;
  }

  /** The histogram `encode` described; a malformed list is a RangeError. */
  static decode(data: readonly number[]): CoarseHistogram {
    const h = new CoarseHistogram();
    const [maxUs = 0] = data;
    if (data.length % 2 !== 1 || !Number.isSafeInteger(maxUs) || maxUs < 0)
      throw new RangeError('bad coarse histogram');
    h.maxUs = maxUs;
    for (let i = 1; i < data.length; i += 2) {
      const bin = data[i]!;
      const n = data[i + 1]!;
      if (!Number.isSafeInteger(bin) || bin < 0 || bin >= BINS || !Number.isSafeInteger(n) || n < 0)
        throw new RangeError('bad coarse histogram bin');
      h.counts[bin]! += n;
      h.total += n;
    }
    return h;
  }
}
