import { describe, expect, it } from 'vitest';
import { aggregate, exitCodeOf } from '../../src/scenarios/aggregate.js';
import { createMetrics } from '../../src/scenarios/metrics.js';
import { renderHtml } from '../../src/scenarios/render-html.js';
import { renderTable } from '../../src/scenarios/render-table.js';
import { parseThresholds } from '../../src/scenarios/thresholds.js';
import { createUserPool } from '../../src/scenarios/user-pool.js';
import { fixtureUser } from '../../src/fixtures/generate-users.js';
import { verifyToken } from '../../src/auth/tokens.js';

function sampleReport(mismatch = false, thresholds = ['claim.p99<100']) {
  let t = 0;
  const metrics = createMetrics({ steps: ['create', 'claim', 'flow'], startMs: 0, now: () => t });
  for (let i = 0; i < 300; i++) {
    t = i * 10;
    metrics.record('create', 5 + (i % 7));
    metrics.record('claim', 2 + (i % 13), i % 50 === 0 ? 'PACKET_EXHAUSTED' : undefined);
    metrics.record('flow', 20);
  }
  return {
    metrics,
    report: aggregate({
      scenario: 'c2c',
      config: { target: 'embedded', note: '<b>&' },
      startedAt: new Date(0),
      durationMs: 3000,
      metrics,
      money: {
        packets: 3,
        checked: 3,
        mismatches: mismatch ? [{ packetId: 'P<1>', kind: 'sum', detail: 'off by 1' }] : [],
      },
      thresholds: parseThresholds(thresholds, ['create', 'claim', 'flow']),
      generator: { cpuPct: 12.345, eventLoopP99Ms: 1.23456 },
    }),
  };
}

describe('the report', () => {
  it('aggregates to plain JSON with the documented shape and rates per second', () => {
    const { report } = sampleReport();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.steps.map((s) => [s.name, s.count, s.ok, s.rps])).toEqual([
      ['create', 300, 300, 100],
      ['claim', 300, 294, 100],
      ['flow', 300, 300, 100],
    ]);
    expect(report.steps[1]!.errors).toEqual({ PACKET_EXHAUSTED: 6 });
    expect(report.generator).toEqual({ cpuPct: 12.3, eventLoopP99Ms: 1.23 });
    expect(report.startedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('exits 0 on pass, 1 on a failed threshold, 2 on a money mismatch (which wins)', () => {
    expect(exitCodeOf(sampleReport().report)).toBe(0);
    expect(exitCodeOf(sampleReport(false, ['claim.p99<1']).report)).toBe(1);
    expect(exitCodeOf(sampleReport(true, ['claim.p99<1']).report)).toBe(2);
  });

  it('renders a table per step with money, thresholds and the generator', () => {
    const text = renderTable(sampleReport(true).report);
    expect(text).toMatch(/claim\s+│\s+300\s+│\s+294\s+│\s+-\s+│\s+PACKET_EXHAUSTED 6/);
    expect(text).toContain('money: 1 MISMATCH(ES)');
    expect(text).toContain('P<1> sum: off by 1');
    expect(text).toContain('threshold pass: claim.p99<100');
    expect(text.includes(String.fromCharCode(27))).toBe(false);
  });

  // its charts (from report.charts): test/watch/report-html.test.ts
  it('renders one self-contained, escaped HTML page', () => {
    const { report } = sampleReport(true);
    const page = renderHtml(report);
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('P&lt;1&gt;');
    expect(page).toContain('&lt;b&gt;&amp;');
    expect(page).not.toMatch(/https?:\/\/|<script|<link|\bsrc=|@import|url\(/i);
  });
});

describe('the user pool', () => {
  it('gives each iteration distinct claimers, prefers real-name-ok senders, and mints tokens for the target', async () => {
    const users = Array.from({ length: 30 }, (_, i) => fixtureUser('pool', i, 0.5));
    const secret = 'pool-secret-0123456789';
    const pool = await createUserPool(users, secret);
    for (let i = 0; i < 20; i++) {
      const c = pool.claimers(i, 12);
      expect(new Set(c).size).toBe(12);
      expect(users.find((u) => u.uid === pool.sender(i))?.realname).toBe('ok');
    }
    const uid = pool.sender(3);
    expect(await verifyToken(secret, pool.auth(uid).replace('Bearer ', ''))).toBe(uid);
    expect(() => pool.claimers(0, 31)).toThrow(/needs at least 31/);
    await expect(createUserPool([{ uid: 'a' }], undefined)).rejects.toThrow(/--secret/);
    expect((await createUserPool([{ uid: 'a', token: 'tok' }], undefined)).auth('a')).toBe('Bearer tok');
  });
});

describe('the generator watching itself', () => {
  it('warns once when its own CPU is high, and reports CPU and event-loop lag at the end', async () => {
    const { startSelfWatch } = await import('../../src/scenarios/self-watch.js');
    const warnings: string[] = [];
    const watch = startSelfWatch({
      intervalMs: 50,
      // the busy loop below gets a full core only on an idle machine, and 15% of one was seen
      // with ten runnable processes a core: a bar this low keeps the test about the warning
      cpuWarnPct: 2,
      onWarn: (m) => warnings.push(m),
      sharedWith: 'the embedded service',
    });
    for (let round = 0; round < 4; round++) {
      const until = performance.now() + 80;
      while (performance.now() < until) Math.sqrt(Math.random());
      await new Promise((r) => setTimeout(r, 1));
    }
    const health = watch.stop();
    expect(health.cpuPct).toBeGreaterThan(2);
    expect(health.eventLoopP99Ms).toBeGreaterThan(10);
    expect(warnings.filter((w) => w.includes('CPU'))).toHaveLength(1);
    expect(warnings[0]).toContain('sharing its process with the embedded service');
  });
});
