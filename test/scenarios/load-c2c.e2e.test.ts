import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../../src/runtime/start-service.js';
import type { LoadReport } from '../../src/scenarios/report.js';
import { runLoadCommand } from './support/run-command.js';

/**
 * `redpkt load c2c` end to end: the real command function, the real embedded service (packet
 * API + simulated finance on a fresh temp store, in process), real HTTP. Small N, a few seconds.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-load-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readReport = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as LoadReport;
const stepOf = (r: LoadReport, name: string) => {
  const s = r.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name} in ${r.steps.map((x) => x.name).join(', ')}`);
  return s;
};

describe('redpkt load c2c on the embedded target', () => {
  it('runs create -> pay -> active -> claimers -> list, the money adds up, counts add up, thresholds are evaluated', async () => {
    const json = join(dir, 'c2c.json');
    const html = join(dir, 'c2c.html');
    const run = await runLoadCommand([
      'c2c',
      ...['--packets', '6', '--shares', '5', '--claimers', '8', '--concurrency', '3', '--seed', 'e2e'],
      ...['--json', json, '--html', html],
      ...[
        '--threshold',
        'claim.p99<10000',
        '--threshold',
        'flow.errors<1',
        '--threshold',
        'claim.errors.INTERNAL==0',
      ],
    ]);
    expect(run.errorMessage).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const report = await readReport(json);

    expect(Object.keys(report).sort()).toEqual(
      [
        ...['config', 'durationMs', 'generator', 'money', 'scenario', 'startedAt', 'steps', 'thresholds'],
        ...['meta', 'charts', 'errorSamples'], // issue 23: what the --html report draws
      ].sort(),
    );
    expect(report.scenario).toBe('c2c');
    expect(report.config).toMatchObject({
      target: 'embedded',
      packets: 6,
      shares: 5,
      claimers: 8,
      model: 'closed',
      concurrency: 3,
    });
    expect(report.config).not.toHaveProperty('secret');
    expect(report.steps.map((s) => s.name)).toEqual([
      'create',
      'pay',
      'wait-active',
      'claim',
      'claim-list',
      'flow',
    ]);
    for (const s of report.steps) {
      expect(Object.keys(s).sort()).toEqual([
        'count',
        'errors',
        'latencyMs',
        'messages',
        'name',
        'ok',
        'outcomes',
        'rps',
      ]);
      expect(Object.keys(s.latencyMs)).toEqual(['p50', 'p90', 'p99', 'p999', 'max']);
      expect(s.latencyMs.p50).toBeLessThanOrEqual(s.latencyMs.max);
    }
    for (const name of ['create', 'pay', 'wait-active', 'claim-list', 'flow']) {
      expect(stepOf(report, name)).toMatchObject({ count: 6, ok: 6, errors: {} });
    }
    // 8 claimers race for 5 shares on each of 6 packets: 30 get a share, 18 are told it is gone.
    // Requests the per-packet limiter turned away (429, then retried) are counted as well. Both
    // are expected outcomes, not failures.
    const claimStep = stepOf(report, 'claim');
    const limited = claimStep.outcomes.RATE_LIMITED ?? 0;
    expect(claimStep).toMatchObject({ count: 48 + limited, ok: 30, errors: {} });
    expect(claimStep.outcomes).toEqual({
      PACKET_EXHAUSTED: 18,
      ...(limited ? { RATE_LIMITED: limited } : {}),
    });
    expect(report.money).toEqual({ packets: 6, checked: 6, mismatches: [] });
    // a given flow.errors threshold replaces the default flow.errors==0; flow.ok>0 is always there
    expect(report.thresholds).toEqual([
      { expr: 'claim.p99<10000', ok: true, actual: stepOf(report, 'claim').latencyMs.p99 },
      { expr: 'flow.errors<1', ok: true, actual: 0 },
      { expr: 'claim.errors.INTERNAL==0', ok: true, actual: 0 },
      { expr: 'flow.ok>0', ok: true, actual: 6, default: true },
    ]);
    expect(report.generator.cpuPct).toBeGreaterThan(0);

    expect(run.stdout).toMatch(
      new RegExp(`claim\\s+│\\s+${48 + limited}\\s+│\\s+30\\s+│\\s+PACKET_EXHAUSTED 18`),
    );
    expect(run.stdout).toContain('target: the embedded service');
    expect(run.stdout).toContain(`wrote JSON report ${json}`);
    expect(run.stdout).toContain(`wrote HTML report ${html}`);
    expect(run.stdout).toContain('PACKET_EXHAUSTED 18');
    expect(run.stdout).toContain('money: ok (6/6 packets checked)');
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/https?:\/\/|<script|<link|\bsrc=/i);
  });

  it('leaves shares unclaimed when there are fewer claimers, and still checks the money (open model)', async () => {
    const json = join(dir, 'open.json');
    const run = await runLoadCommand([
      'c2c',
      '--packets',
      '5',
      '--shares',
      '10',
      '--claimers',
      '4',
      '--rate',
      '20/s',
      '--json',
      json,
    ]);
    expect(run.exitCode).toBe(0);
    const report = await readReport(json);
    expect(report.config).toMatchObject({ model: 'open', ratePerSec: 20 });
    expect(stepOf(report, 'claim')).toMatchObject({ ok: 20 });
    expect(Object.keys(stepOf(report, 'claim').errors).filter((code) => code !== 'RATE_LIMITED')).toEqual([]);
    expect(stepOf(report, 'flow')).toMatchObject({ count: 5, ok: 5 });
    expect(report.money).toEqual({ packets: 5, checked: 5, mismatches: [] });
  });

  it('exits 1 when a threshold fails, and --json - prints the report instead of the table', async () => {
    const run = await runLoadCommand([
      'c2c',
      '--packets',
      '2',
      '--shares',
      '2',
      '--claimers',
      '2',
      '--json',
      '-',
      '--threshold',
      'claim.p99<0.001',
    ]);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as LoadReport;
    expect(report.thresholds).toEqual([
      { expr: 'claim.p99<0.001', ok: false, actual: stepOf(report, 'claim').latencyMs.p99 },
      { expr: 'flow.errors==0', ok: true, actual: 0, default: true },
      { expr: 'flow.ok>0', ok: true, actual: 2, default: true },
    ]);
    expect(run.stdout).not.toContain('│');
  });

  it('with --expire, reports a refund that does not come in time as a step error instead of hanging', async () => {
    const json = join(dir, 'expire.json');
    const t = performance.now();
    const run = await runLoadCommand([
      'c2c',
      ...[
        '--packets',
        '2',
        '--shares',
        '5',
        '--claimers',
        '2',
        '--expire',
        '--expire-after',
        '1s',
        '--refund-timeout',
        '2s',
        '--json',
        json,
      ],
    ]);
    expect(performance.now() - t).toBeLessThan(15_000);
    const report = await readReport(json);
    const refund = stepOf(report, 'refund');
    expect(refund.count).toBe(2);
    // Until the refund worker lands the packets never reach `refunded`: a TIMEOUT, and exit 0
    // (no threshold, no mismatch). Once it lands: refunded, and claims + refund == amount.
    expect(refund.ok + (refund.errors.TIMEOUT ?? 0)).toBe(2);
    expect(report.money.mismatches).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it('refuses usage errors before starting anything', async () => {
    const unknownStep = await runLoadCommand(['c2c', '--threshold', 'claims.p99<50']);
    expect(unknownStep).toMatchObject({ errorCode: 'USAGE' });
    expect(unknownStep.errorMessage).toMatch(/no step "claims"/);
    const b2cStep = await runLoadCommand(['b2c', '--threshold', 'pay.p99<50']);
    expect(b2cStep).toMatchObject({ errorCode: 'USAGE' });
    expect((await runLoadCommand(['c2c', '--concurrency', '2', '--rate', '5/s'])).errorCode).toBe('USAGE');
    expect((await runLoadCommand(['nope'])).errorCode).toBe('USAGE');
    expect((await runLoadCommand(['c2c', '--duration', 'soon'])).errorCode).toBe('USAGE');
    expect((await runLoadCommand(['c2c', '--target', 'ftp://x'])).errorCode).toBe('USAGE');
  });

  it('drives a running service given --target and --secret, as users from a fixtures file', async () => {
    const secret = 'e2e-target-secret-0123456789';
    const service = await startService(
      { port: 0, host: '127.0.0.1', dataDir: join(dir, 'svc'), mysql: [], redis: undefined, secret },
      { log: () => {} },
    );
    try {
      // the committed sample (fixtures/users-1k.jsonl, README: fixtures gen --seed sample)
      const users = join(import.meta.dirname, '../../fixtures/users-1k.jsonl');
      const json = join(dir, 'target.json');
      const run = await runLoadCommand([
        'c2c',
        ...['--target', service.url, '--secret', secret, '--fixtures', users],
        ...['--packets', '4', '--shares', '3', '--claimers', '3', '--json', json],
      ]);
      expect(run.errorMessage).toBeUndefined();
      const report = await readReport(json);
      expect(report.config).toMatchObject({ target: service.url, fixtures: users, users: 1000 });
      expect(stepOf(report, 'claim')).toMatchObject({ ok: 12 });
      expect(report.money).toEqual({ packets: 4, checked: 4, mismatches: [] });
      expect(run.exitCode).toBe(0);
    } finally {
      await service.close();
    }
  });

  it('says a --target that does not answer is unreachable', async () => {
    const run = await runLoadCommand([
      'c2c',
      '--target',
      'http://127.0.0.1:9',
      '--secret',
      'x'.repeat(16),
      '--packets',
      '1',
    ]);
    expect(run.errorCode).toBe('DEPENDENCY_FAILED');
  });
});
