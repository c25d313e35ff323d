/** The report's charts data (JSON) and its HTML, without a browser (report-browser.test.ts has one). */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/scenarios/aggregate.js';
import {
  buildRunCharts,
  intendedArrivals,
  type StepPointCache,
} from '../../src/scenarios/dashboard/run-charts.js';
import { evenlySpaced, type Sample } from '../../src/scenarios/dashboard/run-sampler.js';
import { tickStep } from '../../src/scenarios/dashboard/svg-chart.js';
import { createMetrics } from '../../src/scenarios/metrics.js';
import { renderHtml } from '../../src/scenarios/render-html.js';
import { arrivalMs } from '../../src/scenarios/schedule.js';
import { parseThresholds } from '../../src/scenarios/thresholds.js';

/** A 2-second run sampled every 250 ms: 10 requests and 1 RATE_LIMITED a tick on `claim`. */
function shortRun() {
  let now = 0;
  const metrics = createMetrics({ steps: ['claim', 'flow'], startMs: 0, bucketMs: 250, now: () => now });
  const samples: Sample[] = [];
  for (let tick = 0; tick <= 8; tick++) {
    now = tick * 250;
    if (tick > 0)
      for (let i = 0; i < 10; i++)
        metrics.record('claim', 5 + i, i === 0 ? 'RATE_LIMITED' : undefined, now - 1);
    if (tick > 0) metrics.record('flow', 40, tick === 8 ? 'DROPPED' : undefined, now - 1);
    samples.push({
      t: now,
      sent: tick * 12,
      received: tick * 10,
      started: tick,
      finished: Math.max(0, tick - 1),
      steps: Object.fromEntries(
        metrics
          .steps()
          .map((m) => [m.name, { count: m.count, ok: m.ok, errors: Object.fromEntries(m.errors) }]),
      ),
      lagP99Ms: 3,
      cpuPct: 20,
    });
  }
  const plan = {
    model: { kind: 'open' as const, ratePerSec: 4, maxInFlight: 10 },
    rampMs: 0,
    durationMs: 2000,
  };
  const charts = buildRunCharts({ samples, metrics, plan, durationMs: 2000 });
  const report = {
    ...aggregate({
      scenario: 'c2c',
      config: { target: 'embedded', model: 'open' },
      startedAt: new Date(0),
      durationMs: 2000,
      metrics,
      money: { packets: 2, checked: 2, mismatches: [] },
      thresholds: parseThresholds(['claim.p99<1000'], ['claim', 'flow']),
      generator: { cpuPct: 20, eventLoopP99Ms: 3 },
    }),
    charts,
    errorSamples: [
      {
        code: 'RATE_LIMITED',
        status: 429,
        method: 'POST',
        path: '/v1/packets/:id/claims',
        message: 'slow <down>',
      },
    ],
  };
  return { charts, report };
}

describe('the report charts (JSON)', () => {
  it('has per-interval requests/s, responses/s, in flight, arrivals and errors by code on one axis', () => {
    const { charts } = shortRun();
    expect(charts.durationMs).toBe(2000);
    expect(charts.traffic).toHaveLength(8);
    const p = charts.traffic[3]!;
    expect(p).toMatchObject({ t: 1000, requestsPerSec: 48, responsesPerSec: 40, requestsInFlight: 8 });
    expect(p).toMatchObject({ iterationsInFlight: 1, achieved: 4, intended: 5, retries429PerSec: 4 });
    expect(charts.traffic.at(-1)!.dropped).toBe(1);
    expect(charts.errorsByCode).toEqual([{ code: 'RATE_LIMITED', total: 8, perSec: Array(8).fill(4) }]);
    // 250 ms latency buckets: a 2-second run still has a curve per step
    const claim = charts.steps.find((s) => s.name === 'claim')!;
    expect(claim.bucketMs).toBe(250);
    expect(claim.points).toHaveLength(8);
    expect(claim.points[0]).toMatchObject({ t: 250, responsesPerSec: 40 });
    expect(claim.points[0]!.p50).toBeLessThanOrEqual(claim.points[0]!.p90);
    expect(claim.points[0]!.p90).toBeLessThanOrEqual(claim.points[0]!.p99);
  });

  it('has a latency distribution that adds up to the count, and percentile ranges in order', () => {
    const { charts } = shortRun();
    const d = charts.distribution.find((x) => x.step === 'claim')!;
    expect(d.bins.reduce((n, b) => n + b.count, 0)).toBe(80);
    expect(d.bins.every((b) => b.fromMs < b.toMs)).toBe(true);
    const ms = d.percentiles.map((p) => p.ms);
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
    expect(d.percentiles[0]).toEqual({ p: 0, ms: 5 });
    expect(d.percentiles.at(-1)).toEqual({ p: 100, ms: 14 });
  });

  it('counts intended arrivals on the open schedule itself, with or without a ramp', () => {
    for (const [rate, ramp] of [
      [50, 0],
      [7, 3000],
    ] as const) {
      const plan = { model: { kind: 'open' as const, ratePerSec: rate, maxInFlight: 1 }, rampMs: ramp };
      for (const t of [0, 1, 999, 1000, 2500, 4000, 10_000]) {
        let n = 0;
        while (arrivalMs(n, rate, ramp) <= t) n++;
        expect(intendedArrivals(plan, t)).toBe(n);
      }
    }
    expect(intendedArrivals({ model: { kind: 'closed', concurrency: 2 }, rampMs: 0 }, 1000)).toBeNull();
  });
});

describe("the live page's point cap", () => {
  /** `n` cumulative samples 250 ms apart: 10 requests sent, 9 answered, 1 RATE_LIMITED a tick. */
  const cumulative = (n: number): Sample[] =>
    Array.from({ length: n }, (_, i): Sample => ({
      t: i * 250,
      sent: i * 10,
      received: i * 9,
      started: i,
      finished: i,
      steps: { claim: { count: i * 9, ok: i * 8, errors: i > 0 ? { RATE_LIMITED: i } : {} } },
      lagP99Ms: i % 7,
      cpuPct: 10,
    }));

  it('keeps at most the cap, the first and the last sample, in order', () => {
    const all = cumulative(2400);
    const few = evenlySpaced(all, 400);
    expect(few).toHaveLength(400);
    expect(few[0]).toBe(all[0]);
    expect(few.at(-1)).toBe(all.at(-1));
    for (let i = 1; i < few.length; i++) expect(few[i]!.t).toBeGreaterThan(few[i - 1]!.t);
    expect(evenlySpaced(all.slice(0, 300), 400)).toHaveLength(300); // under the cap: all of them
  });

  it('loses resolution, never totals: the thinned charts count every request and error', () => {
    const all = cumulative(2400);
    const metrics = createMetrics({ steps: ['claim', 'flow'], startMs: 0, bucketMs: 250 });
    const plan = { model: { kind: 'closed' as const, concurrency: 10 }, rampMs: 0 };
    const charts = (samples: readonly Sample[]) =>
      buildRunCharts({ samples, metrics, plan, durationMs: 600_000, distributions: false });
    const total = (c: ReturnType<typeof charts>, key: 'requestsPerSec' | 'errorsPerSec') => {
      let sum = 0;
      for (let i = 0; i < c.traffic.length; i++) {
        const from = i === 0 ? 0 : c.traffic[i - 1]!.t;
        sum += (c.traffic[i]![key] * (c.traffic[i]!.t - from)) / 1000;
      }
      return Math.round(sum);
    };
    const full = charts(all);
    const thin = charts(evenlySpaced(all, 400));
    const ticks = all.length - 1; // each tick: 10 sent, 1 RATE_LIMITED
    expect(thin.traffic).toHaveLength(399);
    expect(full.traffic).toHaveLength(ticks);
    expect(total(thin, 'requestsPerSec')).toBe(ticks * 10);
    expect(total(full, 'requestsPerSec')).toBe(ticks * 10);
    expect(total(thin, 'errorsPerSec')).toBe(ticks);
    expect(thin.errorsByCode).toEqual([expect.objectContaining({ code: 'RATE_LIMITED', total: ticks })]);
  });

  it("reuses a step bucket's point only while no request landed in it", () => {
    let now = 0;
    const metrics = createMetrics({ steps: ['claim', 'flow'], startMs: 0, bucketMs: 250, now: () => now });
    const plan = { model: { kind: 'closed' as const, concurrency: 1 }, rampMs: 0 };
    const pointCache: StepPointCache = new WeakMap();
    const points = () =>
      buildRunCharts({
        samples: [],
        metrics,
        plan,
        durationMs: now,
        distributions: false,
        pointCache,
      }).steps.find((s) => s.name === 'claim')!.points;
    metrics.record('claim', 5, undefined, 10);
    now = 300;
    metrics.record('claim', 7, undefined, 260);
    const first = points();
    const again = points();
    expect(again[0]).toBe(first[0]); // nothing new: the same object
    expect(again[1]).toBe(first[1]);
    metrics.record('claim', 90, undefined, 270); // lands in the second bucket
    const third = points();
    expect(third[0]).toBe(first[0]);
    expect(third[1]).not.toBe(first[1]);
    expect(third[1]!.max).toBeGreaterThan(first[1]!.max);
  });
});

describe('the report page', () => {
  it('opens with the verdict and summary tiles, and has the errors table with messages', () => {
    const { report } = shortRun();
    const page = renderHtml(report);
    expect(page).toMatch(/id="tile-verdict"><div class="label">verdict<\/div><div class="value">PASS</);
    expect(page).toMatch(/id="tile-requests"><div class="label">requests<\/div><div class="value">80</);
    expect(page).toContain('dropped arrivals');
    expect(page).toContain('slow &lt;down&gt;');
    expect(page).toContain('Arrivals: intended vs achieved');
    expect(page).toContain('threshold p99 &lt; 1000 ms');
    expect(page).not.toMatch(/https?:\/\/|<script|<link|\bsrc=|@import|url\(/i);
  });

  it('says FAIL on a failed threshold and MONEY MISMATCH on a mismatch', () => {
    const { report } = shortRun();
    const failed = { ...report, thresholds: [{ expr: 'claim.p99<1', ok: false, actual: 14 }] };
    expect(renderHtml(failed)).toContain('<div class="value">FAIL</div>');
    const money = {
      ...report,
      money: { packets: 1, checked: 1, mismatches: [{ packetId: 'P1', kind: 'sum' as const, detail: 'x' }] },
    };
    expect(renderHtml(money)).toContain('<div class="value">MONEY MISMATCH</div>');
  });

  it('ticks the shared time axis below a second for short runs', () => {
    expect(tickStep(2000)).toBe(250);
    expect(tickStep(60_000)).toBe(10_000);
    expect(tickStep(3_600_000)).toBe(600_000);
  });
});
