import { RedpktError } from '../domain/errors.js';
import type { StepReport } from './report.js';

/**
 * Pass/fail rules on the report: `<step>.<metric> <op> <number>`, e.g. `claim.p99<50`,
 * `claim.errors<1`, `create.rps>100`, `claim.errors.DEPENDENCY_FAILED==0`, `flow.error_rate<0.01`.
 * Latencies are milliseconds. A step or metric the scenario does not have is a usage error, so a
 * typo can never pass silently.
 */
export const LATENCY_METRICS = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
export const COUNT_METRICS = ['count', 'ok', 'errors', 'error_rate', 'rps'] as const;
type Metric = (typeof LATENCY_METRICS)[number] | (typeof COUNT_METRICS)[number];
type Op = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  expr: string;
  step: string;
  metric: Metric;
  /** For `errors.<CODE>`. */
  code?: string;
  op: Op;
  value: number;
}

export interface ThresholdResult {
  expr: string;
  ok: boolean;
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
  if (!known.includes(metric) || (code !== undefined && metric !== 'errors')) {
    throw new RedpktError(
      'USAGE',
      `--threshold "${expr}": unknown metric "${code === undefined ? metric : `${metric}.${code}`}" (metrics: ${known.join(', ')}, errors.<CODE>)`,
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

function actualOf(t: Threshold, s: StepReport | undefined): number | null {
  if (!s) return null;
  switch (t.metric) {
    case 'count':
      return s.count;
    case 'ok':
      return s.ok;
    case 'rps':
      return s.rps;
    case 'errors':
      return t.code === undefined ? s.count - s.ok : (s.errors[t.code] ?? 0);
    case 'error_rate':
      return s.count === 0 ? 0 : (s.count - s.ok) / s.count;
    default:
      // Dropped iterations have no latency: a step with nothing else has none to compare.
      return s.count - (s.errors['DROPPED'] ?? 0) === 0 ? null : s.latencyMs[t.metric];
  }
}

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
    return { expr: t.expr, ok: actual !== null && compare(actual, t.op, t.value), actual };
  });
}
