import { describe, expect, it } from 'vitest';
import { isRedpktError } from '../../src/domain/errors.js';
import type { StepReport } from '../../src/scenarios/report.js';
import { evaluateThresholds, parseThreshold, parseThresholds } from '../../src/scenarios/thresholds.js';

const STEPS = ['create', 'pay', 'wait-active', 'claim', 'claim-list', 'flow'];

const step = (name: string, over: Partial<StepReport> = {}): StepReport => ({
  name,
  count: 100,
  ok: 97,
  outcomes: { PACKET_EXHAUSTED: 2 },
  errors: { DEPENDENCY_FAILED: 1 },
  messages: {},
  rps: 250.5,
  latencyMs: { p50: 3, p90: 12, p99: 48.2, p999: 70, max: 90 },
  ...over,
});

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isRedpktError(e) && e.code === 'USAGE') return e.message;
    throw e;
  }
  throw new Error('expected a usage error');
}

describe('thresholds', () => {
  it('parses step, metric, operator and number, with spaces and units', () => {
    expect(parseThreshold('claim.p99<50', STEPS)).toMatchObject({
      step: 'claim',
      metric: 'p99',
      op: '<',
      value: 50,
    });
    expect(parseThreshold(' create.rps >= 100 ', STEPS)).toMatchObject({
      step: 'create',
      metric: 'rps',
      op: '>=',
      value: 100,
    });
    expect(parseThreshold('wait-active.max<2000ms', STEPS)).toMatchObject({
      step: 'wait-active',
      metric: 'max',
      value: 2000,
    });
    expect(parseThreshold('claim.errors.DEPENDENCY_FAILED==0', STEPS)).toMatchObject({
      metric: 'errors',
      code: 'DEPENDENCY_FAILED',
      op: '==',
    });
    expect(parseThreshold('flow.error_rate<1%', STEPS)).toMatchObject({ metric: 'error_rate', value: 0.01 });
  });

  it('refuses an unknown step, an unknown metric and nonsense as usage errors, never a silent pass', () => {
    expect(usage(() => parseThreshold('claims.p99<50', STEPS))).toMatch(/no step "claims"/);
    expect(usage(() => parseThreshold('claim.p95<50', STEPS))).toMatch(/unknown metric "p95"/);
    expect(usage(() => parseThreshold('claim.count.X<1', STEPS))).toMatch(/unknown metric "count.X"/);
    expect(usage(() => parseThreshold('claim.p99 fast', STEPS))).toMatch(/bad --threshold/);
    expect(usage(() => parseThreshold('claim.rps>5ms', STEPS))).toMatch(/ms only applies/);
    expect(usage(() => parseThresholds(['claim.p99<50', 'nope.p99<1'], STEPS))).toMatch(/nope/);
  });

  it('evaluates each rule against the step report and says what it measured', () => {
    const steps = [
      step('claim'),
      step('create', { rps: 80 }),
      step('flow', { count: 10, ok: 10, errors: {} }),
    ];
    const results = evaluateThresholds(
      parseThresholds(
        [
          'claim.p99<50',
          'claim.p99<40',
          'claim.errors<1',
          'claim.errors<=3',
          'claim.errors.DEPENDENCY_FAILED==1',
          'claim.errors.RATE_LIMITED==0',
          'claim.outcomes==2',
          'claim.outcomes.PACKET_EXHAUSTED>1',
          'claim.error_rate<5%',
          'create.rps>100',
          'claim.count>=100',
          'flow.ok==10',
        ],
        STEPS,
      ),
      steps,
    );
    expect(results.map((r) => [r.expr, r.ok, r.actual])).toEqual([
      ['claim.p99<50', true, 48.2],
      ['claim.p99<40', false, 48.2],
      ['claim.errors<1', false, 1],
      ['claim.errors<=3', true, 1],
      ['claim.errors.DEPENDENCY_FAILED==1', true, 1],
      ['claim.errors.RATE_LIMITED==0', true, 0],
      // expected outcomes are not failures: counted on their own
      ['claim.outcomes==2', true, 2],
      ['claim.outcomes.PACKET_EXHAUSTED>1', true, 2],
      ['claim.error_rate<5%', true, 0.01],
      ['create.rps>100', false, 80],
      ['claim.count>=100', true, 100],
      ['flow.ok==10', true, 10],
    ]);
  });

  it('fails a latency rule on a step that never ran (nothing measured is not fast)', () => {
    const empty = step('pay', {
      count: 0,
      ok: 0,
      errors: {},
      latencyMs: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    });
    const [r] = evaluateThresholds(parseThresholds(['pay.p99<50'], STEPS), [empty]);
    expect(r).toEqual({ expr: 'pay.p99<50', ok: false, actual: null });
  });
});
