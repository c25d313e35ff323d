import { RedpktError } from '../domain/errors.js';
import type { StepReport } from './report.js';

/**
 * Pass/fail rules on the report: `<step>.<metric> <op> <number>`, e.g. `claim.p99<50`,
 * `claim.errors<1`, `create.rps>100`, `claim.errors.DEPENDENCY_FAILED==0`, `flow.error_rate<0.01`,
 * `claim.outcomes.PACKET_EXHAUSTED>0`. `errors` and `error_rate` count failures only, never the
 * expected outcomes. Latencies are milliseconds. A step or metric the scenario does not have is a
 * usage error, so a typo can never pass silently.
 *
 * Every run also has two default checks: `flow.errors==0` (no flow failed for a reason that is
 * not an expected outcome; any `--threshold` on `flow.errors` or `flow.error_rate` replaces it)
 * and `flow.ok>0` (a run where no flow completed tested nothing; always there).
 */
export const LATENCY_METRICS = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
export const COUNT_METRICS = ['count', 'ok', 'outcomes', 'errors', 'error_rate', 'rps'] as const;
export const DEFAULT_FLOW_CHECK = 'flow.errors==0';
export const ANY_FLOW_CHECK = 'flow.ok>0';
type Metric = (typeof LATENCY_METRICS)[number] | (typeof COUNT_METRICS)[number];
type Op = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  expr: string;
  step: string;
  metric: Metric;
  /** For `errors.<CODE>` and `outcomes.<CODE>`. */
  code?: string;
  op: Op;
  value: number;
  /** One of the default checks (not given with --threshold). */
  default?: true;
}

export interface ThresholdResult {
  expr: string;
  ok: boolean;
  /** A default check (see above). */
  default?: true;
  /** null when there is nothing to measure (a latency of a step that never ran fails). */
  actual: number | null;
}

const PATTERN =
  /^\s*([a-z][a-z0-9-]*)\.([a-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*(ms|%)?\s*$/;

export function parseThreshold(expr: string, steps: readonly string[]): Threshold {
  const m = PATTERN.exec(expr);
  if (!m) {
    throw new RedpktError(
      'USAGE',
      `bad --threshold "${expr}": expected <step>.<metric><op><number>, e.g. claim.p99<50`,
    );
  }
  const [, step = '', metric = '', code, op = '<', num = '0', unit] = m;
  if (!steps.includes(step)) {
    throw new RedpktError(
      'USAGE',
      `--threshold "${expr}": no step "${step}" in this scenario (steps: ${steps.join(', ')})`,
    );
  }
  const known: readonly string[] = [...LATENCY_METRICS, ...COUNT_METRICS];
  if (!known.includes(metric) || (code !== undefined && metric !== 'errors' && metric !== 'outcomes')) {
    throw new RedpktError(
      'USAGE',
      `--threshold "${expr}": unknown metric "${code === undefined ? metric : `${metric}.${code}`}" (metrics: ${known.join(', ')}, errors.<CODE>, outcomes.<CODE>)`,
    );
  }
  let value = Number(num);
  if (unit === '%') {
    if (metric !== 'error_rate')
      throw new RedpktError('USAGE', `--threshold "${expr}": % only applies to error_rate`);
    value /= 100;
  }
  if (unit === 'ms' && !(LATENCY_METRICS as readonly string[]).includes(metric)) {
    throw new RedpktError('USAGE', `--threshold "${expr}": ms only applies to latencies`);
  }
  return {
    expr: expr.trim(),
    step,
    metric: metric as Metric,
    ...(code !== undefined ? { code } : {}),
    op: op as Op,
    value,
  };
}

export function parseThresholds(exprs: readonly string[], steps: readonly string[]): Threshold[] {
  return exprs.map((e) => parseThreshold(e, steps));
}

/** The given thresholds, then the default checks (see above). */
export function withDefaultChecks(exprs: readonly string[], steps: readonly string[]): Threshold[] {
  const given = parseThresholds(exprs, steps);
  const flowFailures = given.some(
    (t) => t.step === 'flow' && (t.metric === 'errors' || t.metric === 'error_rate'),
  );
  const defaults = [...(flowFailures ? [] : [DEFAULT_FLOW_CHECK]), ANY_FLOW_CHECK].map((e): Threshold => ({
    ...parseThreshold(e, steps),
    default: true,
  }));
  return [...given, ...defaults];
}

function actualOf(t: Threshold, s: StepReport | undefined): number | null {
  if (!s) return null;
  switch (t.metric) {
    case 'count':
      return s.count;
    case 'ok':
      return s.ok;
    case 'rps':
      return s.rps;
    case 'outcomes':
      return t.code === undefined ? sum(s.outcomes) : (s.outcomes[t.code] ?? 0);
    case 'errors':
      return t.code === undefined ? sum(s.errors) : (s.errors[t.code] ?? 0);
    case 'error_rate':
      return s.count === 0 ? 0 : sum(s.errors) / s.count;
    default:
      // Dropped iterations have no latency: a step with nothing else has none to compare.
      return s.count - (s.errors['DROPPED'] ?? 0) === 0 ? null : s.latencyMs[t.metric];
  }
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, n) => a + n, 0);

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
  }
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  steps: readonly StepReport[],
): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = actualOf(
      t,
      steps.find((s) => s.name === t.step),
    );
    return {
      expr: t.expr,
      ok: actual !== null && compare(actual, t.op, t.value),
      actual,
      ...(t.default ? { default: true as const } : {}),
    };
  });
}
