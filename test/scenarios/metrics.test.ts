import { describe, expect, it } from 'vitest';
import { stepReport } from '../../src/scenarios/aggregate.js';
import { createMetrics } from '../../src/scenarios/metrics.js';
import { createTimeline } from '../../src/scenarios/timeline.js';

describe('metrics', () => {
  it('reports percentiles of known data within HDR precision (3 significant digits)', () => {
    const m = createMetrics({ steps: ['claim', 'flow'], startMs: 0, now: () => 0 });
    // 1..1000 ms, once each: p50 = 500, p90 = 900, p99 = 990, p99.9 = 999, max = 1000.
    for (let i = 1; i <= 1000; i++) m.record('claim', i);
    const r = stepReport(m.step('claim'), 10_000);
    const close = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected) / expected).toBeLessThan(0.001);
    close(r.latencyMs.p50, 500);
    close(r.latencyMs.p90, 900);
    close(r.latencyMs.p99, 990);
    close(r.latencyMs.p999, 999);
    close(r.latencyMs.max, 1000);
    expect(r).toMatchObject({ name: 'claim', count: 1000, ok: 1000, errors: {}, rps: 100 });
  });

  it('keeps sub-millisecond precision and counts errors by code', () => {
    const m = createMetrics({ steps: ['claim'], startMs: 0, now: () => 0 });
    for (let i = 0; i < 98; i++) m.record('claim', 0.25);
    m.record('claim', 0.25, 'PACKET_EXHAUSTED');
    m.record('claim', 0.75, 'HTTP_502');
    const r = stepReport(m.step('claim'), 1000);
    expect(r.latencyMs.p50).toBeCloseTo(0.25, 3);
    expect(r.latencyMs.max).toBeCloseTo(0.75, 3);
    expect(r).toMatchObject({ count: 100, ok: 98, errors: { PACKET_EXHAUSTED: 1, HTTP_502: 1 } });
    expect(m.totals()).toEqual({ requests: 100, errors: 2 });
  });

  it('merges two runs as if they were one', () => {
    const a = createMetrics({ steps: ['claim', 'flow'], startMs: 0, now: () => 0 });
    const b = createMetrics({ steps: ['claim', 'flow'], startMs: 0, now: () => 0 });
    const both = createMetrics({ steps: ['claim', 'flow'], startMs: 0, now: () => 0 });
    for (let i = 1; i <= 500; i++) {
      a.record('claim', i);
      both.record('claim', i);
    }
    for (let i = 501; i <= 1000; i++) {
      b.record('claim', i, i % 100 === 0 ? 'TIMEOUT' : undefined);
      both.record('claim', i, i % 100 === 0 ? 'TIMEOUT' : undefined);
    }
    a.merge(b);
    expect(stepReport(a.step('claim'), 1000)).toEqual(stepReport(both.step('claim'), 1000));
    expect(a.totals()).toEqual(both.totals());
  });

  it('orders steps as registered with flow last, and keeps memory fixed however many samples', () => {
    const m = createMetrics({ steps: ['create', 'claim', 'flow'], startMs: 0, now: () => 0 });
    m.record('flow', 5);
    m.record('claim', 1);
    const before = m.step('claim').histogram.estimatedFootprintInBytes;
    for (let i = 0; i < 200_000; i++) m.record('claim', (i % 5000) + 0.5);
    expect(m.step('claim').histogram.estimatedFootprintInBytes).toBe(before);
    expect(m.steps().map((s) => s.name)).toEqual(['create', 'claim', 'flow']);
  });

  it('buckets latency over time and coarsens the buckets instead of growing without bound', () => {
    const t = createTimeline(0, 1000, 4);
    for (let s = 0; s < 10; s++) t.record(s * 1000 + 10, 5 + s, s === 3);
    expect(t.bucketMs).toBe(4000);
    const points = t.points();
    expect(points.map((p) => [p.t, p.count, p.errors])).toEqual([
      [0, 4, 1],
      [4000, 4, 0],
      [8000, 2, 0],
    ]);
    expect(points[2]!.max).toBeCloseTo(14, 0);
  });
});
