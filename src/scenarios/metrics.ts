import type { Histogram } from 'hdr-histogram-js';
import { FLOW_STEP } from './define-scenario.js';
import type { LatencySummary } from './latency.js';
import { createLatencyHistogram, recordMs, summarize } from './latency.js';
import type { Timeline } from './timeline.js';
import { createTimeline } from './timeline.js';

/** What one step measured: counts, errors by code, and an HDR histogram of latencies. */
export interface StepMetrics {
  readonly name: string;
  count: number;
  ok: number;
  readonly errors: Map<string, number>;
  readonly histogram: Histogram;
  readonly timeline: Timeline;
}

export interface Metrics {
  readonly startMs: number;
  /** One sample: latency in ms (undefined when there is none, e.g. a dropped iteration); `code` marks a failure. */
  record(step: string, latencyMs: number | undefined, code?: string, atMs?: number): void;
  step(name: string): StepMetrics;
  /** In registration order (scenario steps first, `flow` last). */
  steps(): StepMetrics[];
  /** Requests and failed requests so far, every step but `flow` (for live progress). */
  totals(): { requests: number; errors: number };
  /** Adds another run's metrics (e.g. another generator process) into this one. */
  merge(other: Metrics): void;
}

export function summarizeStep(m: StepMetrics): LatencySummary {
  return summarize(m.histogram);
}

export function createMetrics(opts: {
  steps: readonly string[];
  startMs: number;
  bucketMs?: number;
  now?: () => number;
}): Metrics {
  const now = opts.now ?? (() => performance.now());
  const byName = new Map<string, StepMetrics>();
  let requests = 0;
  let failed = 0;

  const ensure = (name: string): StepMetrics => {
    let m = byName.get(name);
    if (!m) {
      m = {
        name,
        count: 0,
        ok: 0,
        errors: new Map(),
        histogram: createLatencyHistogram(),
        timeline: createTimeline(opts.startMs, opts.bucketMs),
      };
      byName.set(name, m);
    }
    return m;
  };
  for (const name of opts.steps) ensure(name);

  return {
    startMs: opts.startMs,
    record(name, latencyMs, code, atMs) {
      const m = ensure(name);
      m.count++;
      if (code === undefined) m.ok++;
      else m.errors.set(code, (m.errors.get(code) ?? 0) + 1);
      if (latencyMs !== undefined) recordMs(m.histogram, latencyMs);
      m.timeline.record(atMs ?? now(), latencyMs, code !== undefined);
      if (name !== FLOW_STEP) {
        requests++;
        if (code !== undefined) failed++;
      }
    },
    step: ensure,
    steps: () => [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name)),
    totals: () => ({ requests, errors: failed }),
    merge(other) {
      for (const o of other.steps()) {
        const m = ensure(o.name);
        m.count += o.count;
        m.ok += o.ok;
        for (const [code, n] of o.errors) m.errors.set(code, (m.errors.get(code) ?? 0) + n);
        m.histogram.add(o.histogram);
        m.timeline.merge(o.timeline);
      }
      const t = other.totals();
      requests += t.requests;
      failed += t.errors;
    },
  };

  function rank(name: string): number {
    if (name === FLOW_STEP) return Number.MAX_SAFE_INTEGER;
    const i = opts.steps.indexOf(name);
    return i === -1 ? opts.steps.length : i;
  }
}
