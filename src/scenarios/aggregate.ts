import type { Metrics, StepMetrics } from './metrics.js';
import { summarizeStep } from './metrics.js';
import type { MoneySummary } from './money-check.js';
import type { LoadReport, LoadTimeline, StepReport } from './report.js';
import type { Threshold } from './thresholds.js';
import { evaluateThresholds } from './thresholds.js';

export interface AggregateInput {
  scenario: string;
  config: Record<string, unknown>;
  startedAt: Date;
  durationMs: number;
  metrics: Metrics;
  money: MoneySummary;
  thresholds: readonly Threshold[];
  generator: { cpuPct: number; eventLoopP99Ms: number };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

const byCount = (counts: ReadonlyMap<string, number>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [code, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out[code] = n;
  return out;
};

export function stepReport(m: StepMetrics, durationMs: number): StepReport {
  const errors = byCount(m.errors);
  const messages: Record<string, string> = {};
  for (const code of Object.keys(errors)) {
    const text = m.messages.get(code);
    if (text !== undefined) messages[code] = text;
  }
  return {
    name: m.name,
    count: m.count,
    ok: m.ok,
    outcomes: byCount(m.outcomes),
    errors,
    messages,
    rps: durationMs > 0 ? round((m.count * 1000) / durationMs, 2) : 0,
    latencyMs: summarizeStep(m),
  };
}

/** Measuring -> aggregating (here) -> rendering: the report is plain data, nothing else. */
export function aggregate(input: AggregateInput): LoadReport {
  const steps = input.metrics.steps().map((m) => stepReport(m, input.durationMs));
  return {
    scenario: input.scenario,
    config: input.config,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    steps,
    money: input.money,
    thresholds: evaluateThresholds(input.thresholds, steps),
    generator: {
      cpuPct: round(input.generator.cpuPct, 1),
      eventLoopP99Ms: round(input.generator.eventLoopP99Ms, 2),
    },
  };
}

export function timelineOf(metrics: Metrics): LoadTimeline {
  const steps = metrics.steps();
  const bucketMs = Math.max(...steps.map((s) => s.timeline.bucketMs));
  for (const s of steps) s.timeline.coarsenTo(bucketMs);
  return { bucketMs, steps: steps.map((s) => ({ name: s.name, points: s.timeline.points() })) };
}

/** 0 pass, 1 a threshold failed, 2 money mismatch (the worse one wins). */
export function exitCodeOf(report: LoadReport): 0 | 1 | 2 {
  if (report.money.mismatches.length > 0) return 2;
  if (report.thresholds.some((t) => !t.ok)) return 1;
  return 0;
}
