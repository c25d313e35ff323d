/**
 * The report's time series and distributions as plain JSON (the `charts` of `--json`, drawn by
 * the `--html` report and the live dashboard): one shared time axis (ms from the run's start),
 * requests and responses per second, what is in flight, intended vs achieved arrivals and the
 * dropped ones (open model), errors by code over time, the generator's event-loop lag, per step
 * latency percentiles over time, and per step the latency distribution and percentile ranges.
 */
import type { Histogram } from 'hdr-histogram-js';
import { FLOW_STEP } from '../define-scenario.js';
import type { Metrics } from '../metrics.js';
import type { LoadModel } from '../runner.js';
import { arrivalMs } from '../schedule.js';
import type { Timeline, TimelineBucket } from '../timeline.js';
import { droppedOf, type Sample } from './run-sampler.js';

export interface TrafficPoint {
  /** End of the interval, ms from the run's start. */
  t: number;
  requestsPerSec: number;
  responsesPerSec: number;
  requestsInFlight: number;
  iterationsInFlight: number;
  /** Cumulative: arrivals the schedule intended so far (open model), iterations started, dropped. */
  intended: number | null;
  achieved: number;
  dropped: number;
  /** 429 answers per second (each one retried by the claimer). */
  retries429PerSec: number;
  errorsPerSec: number;
  lagP99Ms: number;
  cpuPct: number;
}

export interface StepPoint {
  t: number;
  responsesPerSec: number;
  errorsPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface RunCharts {
  durationMs: number;
  traffic: TrafficPoint[];
  /** Per code (all steps but `flow`): the total and per-second counts at `traffic`'s times. */
  errorsByCode: { code: string; total: number; perSec: number[] }[];
  steps: { name: string; bucketMs: number; points: StepPoint[] }[];
  distribution: {
    step: string;
    bins: { fromMs: number; toMs: number; count: number }[];
    percentiles: { p: number; ms: number }[];
  }[];
}

const PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

export interface ArrivalPlan {
  model: LoadModel;
  rampMs: number;
  durationMs?: number | undefined;
  iterations?: number | undefined;
}

export function buildRunCharts(input: {
  samples: readonly Sample[];
  metrics: Metrics;
  plan: ArrivalPlan;
  durationMs: number;
  /** false while running: the distribution is left for the end. */
  distributions?: boolean;
  /** The live page's: step points of buckets that got no request since the last push, reused. */
  pointCache?: StepPointCache;
}): RunCharts {
  const { samples, metrics } = input;
  const codes = new Map<string, number[]>();
  const traffic: TrafficPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = (b.t - a.t) / 1000;
    if (dt <= 0) continue;
    const perSec = (n: number) => round(n / dt, 2);
    let errors = 0;
    let retries = 0;
    for (const [name, s] of Object.entries(b.steps)) {
      if (name === FLOW_STEP) continue;
      const before = a.steps[name]?.errors ?? {};
      for (const [code, n] of Object.entries(s.errors)) {
        const d = n - (before[code] ?? 0);
        if (d === 0) continue;
        errors += d;
        if (code === 'RATE_LIMITED') retries += d;
        let list = codes.get(code);
        if (!list) codes.set(code, (list = new Array<number>(traffic.length).fill(0)));
        list[traffic.length] = (list[traffic.length] ?? 0) + d / dt;
      }
    }
    traffic.push({
      t: round(b.t, 0),
      requestsPerSec: perSec(b.sent - a.sent),
      responsesPerSec: perSec(b.received - a.received),
      requestsInFlight: b.sent - b.received,
      iterationsInFlight: b.started - b.finished,
      intended: intendedArrivals(input.plan, b.t),
      achieved: b.started,
      dropped: droppedOf(b),
      retries429PerSec: perSec(retries),
      errorsPerSec: perSec(errors),
      lagP99Ms: b.lagP99Ms,
      cpuPct: b.cpuPct,
    });
    for (const list of codes.values()) while (list.length < traffic.length) list.push(0);
  }
  const last = samples[samples.length - 1];
  const errorsByCode = [...codes.entries()]
    .map(([code, perSec]) => ({
      code,
      total: Object.entries(last?.steps ?? {})
        .filter(([n]) => n !== FLOW_STEP)
        .reduce((sum, [, s]) => sum + (s.errors[code] ?? 0), 0),
      perSec: perSec.map((v) => round(v, 2)),
    }))
    .sort((x, y) => y.total - x.total || x.code.localeCompare(y.code));

  const steps = metrics.steps().map((m) => ({
    name: m.name,
    bucketMs: m.timeline.bucketMs,
    points: stepPoints(m.timeline.bucketMs, m.timeline.buckets(), input.pointCache),
  }));
  return {
    durationMs: Math.round(input.durationMs),
    traffic,
    errorsByCode,
    steps,
    distribution:
      input.distributions === false
        ? []
        : metrics
            .steps()
            .filter((m) => m.histogram.totalCount > 0)
            .map((m) => ({ step: m.name, ...distributionOf(m.histogram) })),
  };
}

/** A bucket's point, valid while its count and place stay (a bucket only grows; coarsening makes new ones). */
export type StepPointCache = WeakMap<TimelineBucket, { count: number; point: StepPoint }>;

function stepPoints(
  width: number,
  buckets: ReturnType<Timeline['buckets']>,
  cache: StepPointCache | undefined,
): StepPoint[] {
  const out: StepPoint[] = [];
  buckets.forEach((b, i) => {
    if (!b) return;
    const t = (i + 1) * width;
    const known = cache?.get(b);
    if (known && known.count === b.count && known.point.t === t) return void out.push(known.point);
    const h = b.hist;
    const point: StepPoint = {
      t,
      responsesPerSec: round((b.count * 1000) / width, 2),
      errorsPerSec: round((b.errors * 1000) / width, 2),
      p50: h.percentileMs(50),
      p90: h.percentileMs(90),
      p99: h.percentileMs(99),
      max: h.maxMs(),
    };
    cache?.set(b, { count: b.count, point });
    out.push(point);
  });
  return out;
}

/** Arrivals the open model's schedule meant to start by `t` (null for the closed model). */
export function intendedArrivals(plan: ArrivalPlan, t: number): number | null {
  if (plan.model.kind !== 'open') return null;
  const perMs = plan.model.ratePerSec / 1000;
  const until = plan.durationMs === undefined ? t : Math.min(t, plan.durationMs - 1e-9);
  if (until < 0) return 0;
  const rampArrivals = (perMs * plan.rampMs) / 2;
  const due =
    plan.rampMs > 0 && until < plan.rampMs
      ? (perMs * until * until) / (2 * plan.rampMs)
      : rampArrivals + (until - plan.rampMs) * perMs;
  let n = Math.floor(due + 1e-9) + 1;
  // the floating inverse can be one off at a boundary: settle it on the schedule itself
  while (n > 0 && arrivalMs(n - 1, plan.model.ratePerSec, plan.rampMs) > until) n--;
  return plan.iterations === undefined ? n : Math.min(n, plan.iterations);
}

/**
 * Bins on a 1-2-5 scale of milliseconds from the HDR histogram's percentile curve (1,000 points:
 * each bin's count is right to 0.1% of the step's requests), and the percentile ranges.
 */
function distributionOf(h: Histogram): Omit<RunCharts['distribution'][number], 'step'> {
  const total = h.totalCount;
  const max = h.maxValue / 1000;
  const at = (p: number) => Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000;
  const edges = [0];
  for (let e = -2; edges[edges.length - 1]! < max; e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v > edges[edges.length - 1]!) edges.push(Number(v.toPrecision(3)));
      if (v >= max) break;
    }
  const counts = new Array<number>(edges.length - 1).fill(0);
  const N = 1000;
  for (let k = 1; k <= N; k++) {
    const v = at((k * 100) / N);
    let bin = edges.findIndex((e) => e >= v) - 1;
    if (bin < 0) bin = 0;
    if (bin >= counts.length) bin = counts.length - 1;
    counts[bin] = (counts[bin] ?? 0) + total / N;
  }
  const first = counts.findIndex((c) => c > 0);
  return {
    bins: counts
      .map((c, i) => ({ fromMs: edges[i]!, toMs: edges[i + 1]!, count: Math.round(c) }))
      .slice(Math.max(0, first)),
    percentiles: PERCENTILES.map((p) => ({ p, ms: round(p === 0 ? h.minNonZeroValue / 1000 : at(p), 3) })),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
