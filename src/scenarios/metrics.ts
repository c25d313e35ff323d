import type { Histogram } from 'hdr-histogram-js';
import { FLOW_STEP } from './define-scenario.js';
import type { LatencySummary } from './latency.js';
import { createLatencyHistogram, recordMs, summarize } from './latency.js';
import type { Timeline } from './timeline.js';
import { createTimeline } from './timeline.js';

/**
 * What one step measured: counts, expected outcomes and failures by code, the first message of
 * each failure code, and an HDR histogram of latencies. An outcome is a non-2xx answer the
 * scenario expects (`PACKET_EXHAUSTED` with more claimers than shares, a 429 it retries); a
 * failure (`errors`) is anything else: k6's split of checks from `http_req_failed`.
 */
export interface StepMetrics {
  readonly name: string;
  count: number;
  ok: number;
  readonly outcomes: Map<string, number>;
  readonly errors: Map<string, number>;
  /** The first message seen per failure code (the server's `error.message`, a transport error's). */
  readonly messages: Map<string, string>;
  readonly histogram: Histogram;
  readonly timeline: Timeline;
}

export interface Metrics {
  readonly startMs: number;
  /**
   * One sample: latency in ms (undefined when there is none, e.g. a dropped iteration); `code`
   * marks a non-2xx answer, a failure unless `expected` (then an outcome).
   */
  record(step: string, latencyMs: number | undefined, code?: string, atMs?: number, expected?: boolean): void;
  /** Whether a failure code of the step still wants its first message (see `note`). */
  wantsMessage(step: string, code: string): boolean;
  /** Keeps `message` as the first one of `code` in `step` (later ones are ignored). */
  note(step: string, code: string, message: string): void;
  step(name: string): StepMetrics;
  /** In registration order (scenario steps first, `flow` last). */
  steps(): StepMetrics[];
  /** Requests and failed requests (outcomes not included) so far, every step but `flow` (for live progress). */
  totals(): { requests: number; errors: number };
  /** Adds another run's metrics (e.g. another generator process) into this one. */
  merge(other: Metrics): void;
  /** Adds one step's measurements (e.g. decoded from a result file) into this one's step of that name. */
  addStep(other: StepMetrics): void;
}

/** Codes per step that keep a first message, and how long one may be: the report stays small. */
const MAX_MESSAGES = 20;
const MAX_MESSAGE_CHARS = 300;

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
        outcomes: new Map(),
        errors: new Map(),
        messages: new Map(),
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
    record(name, latencyMs, code, atMs, expected) {
      const m = ensure(name);
      m.count++;
      const failure = code !== undefined && expected !== true;
      if (code === undefined) m.ok++;
      else if (failure) m.errors.set(code, (m.errors.get(code) ?? 0) + 1);
      else m.outcomes.set(code, (m.outcomes.get(code) ?? 0) + 1);
      if (latencyMs !== undefined) recordMs(m.histogram, latencyMs);
      m.timeline.record(atMs ?? now(), latencyMs, failure);
      if (name !== FLOW_STEP) {
        requests++;
        if (failure) failed++;
      }
    },
    wantsMessage: (name, code) => {
      const m = byName.get(name);
      return m === undefined || (!m.messages.has(code) && m.messages.size < MAX_MESSAGES);
    },
    note(name, code, message) {
      const m = ensure(name);
      if (!m.messages.has(code) && m.messages.size < MAX_MESSAGES)
        m.messages.set(code, message.slice(0, MAX_MESSAGE_CHARS));
    },
    step: ensure,
    steps: () => [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name)),
    totals: () => ({ requests, errors: failed }),
    merge(other) {
      for (const o of other.steps()) addStep(o);
    },
    addStep,
  };

  function addStep(o: StepMetrics): void {
    const m = ensure(o.name);
    m.count += o.count;
    m.ok += o.ok;
    for (const [code, n] of o.outcomes) m.outcomes.set(code, (m.outcomes.get(code) ?? 0) + n);
    let failures = 0;
    for (const [code, n] of o.errors) {
      m.errors.set(code, (m.errors.get(code) ?? 0) + n);
      failures += n;
    }
    for (const [code, text] of o.messages) if (!m.messages.has(code)) m.messages.set(code, text);
    m.histogram.add(o.histogram);
    m.timeline.merge(o.timeline);
    if (o.name !== FLOW_STEP) {
      requests += o.count;
      failed += failures;
    }
  }

  function rank(name: string): number {
    if (name === FLOW_STEP) return Number.MAX_SAFE_INTEGER;
    const i = opts.steps.indexOf(name);
    return i === -1 ? opts.steps.length : i;
  }
}
