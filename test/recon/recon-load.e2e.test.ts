/**
 * Issue 8, "a clean load run reconciles with zero discrepancies": the real `redpkt load c2c`
 * (with --expire, so refunds are in it) and `redpkt load b2c` against a running service, then the
 * real `redpkt recon --shadow` over the whole day. Every load request is shadow traffic, so the
 * run lives in the shadow lane (issue 5): reconciling the shadow lane matches every order, and the
 * real lane's books show nothing of it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconCommand } from '../../src/commands/recon.js';
import type { ReconReport } from '../../src/recon/run-recon.js';
import { startService, type RunningService } from '../../src/runtime/start-service.js';
import { runLoadCommand } from '../scenarios/support/run-command.js';
import { shanghaiDate } from './rain-flows.js';

const SECRET = 'recon-load-e2e-secret-0123456789abcdef';

describe('a clean redpkt load run reconciles (embedded)', () => {
  let dir: string;
  let service: RunningService;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-recon-load-'));
    service = await startService(
      {
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        mysql: [],
        redis: undefined,
        secret: SECRET,
        worker: { pollMs: 20 },
      },
      { log: () => {} },
    );
  });
  afterAll(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function recon(flags: Record<string, unknown>): Promise<{ code: number; report: ReconReport }> {
    let out = '';
    const code = await reconCommand(
      {
        date: shanghaiDate(Date.now()),
        type: 'all',
        json: true,
        dataDir: dir,
        mysql: [],
        secret: SECRET,
        ...flags,
      },
      { write: (t) => (out += t), now: Date.now },
    );
    return { code, report: JSON.parse(out) as ReconReport };
  }

  it('matches every order of a c2c (with expiry refunds) and a b2c run in the shadow lane, and none in the real one', async () => {
    const target = ['--target', service.url, '--secret', SECRET, '--concurrency', '3'];
    const c2c = await runLoadCommand([
      'c2c',
      ...target,
      ...[
        '--packets',
        '4',
        '--shares',
        '3',
        '--claimers',
        '2',
        '--expire',
        '--expire-after',
        // long enough for create, pay and the claims to come first on a busy machine
        '3s',
        '--seed',
        'r1',
      ],
    ]);
    expect(c2c.errorMessage).toBeUndefined();
    expect(c2c.exitCode).toBe(0);
    const b2c = await runLoadCommand([
      'b2c',
      ...target,
      ...['--packets', '3', '--shares', '2', '--claimers', '3', '--seed', 'r2'],
    ]);
    expect(b2c.errorMessage).toBeUndefined();
    expect(b2c.exitCode).toBe(0);

    // let the shadow lane's worker settle every transfer, credit and refund
    // (what is due later stays: a paid order's re-check, the b2c packets' expiry a day on)
    const lane = await service.shadow();
    const open = async () =>
      (await lane.store.listTasks({ status: 'pending' })).filter((t) => t.dueAt <= Date.now());
    for (let i = 0; i < 300 && (await open()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await open()).toEqual([]);

    for (const source of [{ finance: service.url }, {}]) {
      const { code, report } = await recon({ shadow: true, ...source });
      expect(report.lane).toBe('shadow');
      expect(report.discrepancies).toEqual([]);
      expect([code, report.clean, report.discrepancyCount]).toEqual([0, true, 0]);
      // every c2c packet final, its money out: the payment == its claims' transfers + its refund;
      // the ledger matched all of it (4 payments, one transfer per claim, the refunds)
      const c2cTotals = report.c2c;
      expect(c2cTotals).toMatchObject({ packets: 4, finalPackets: 4, violations: 0 });
      expect(c2cTotals?.paid).toBe((c2cTotals?.transferred ?? 0) + (c2cTotals?.refunded ?? 0));
      expect(c2cTotals?.claims).toBe(c2cTotals?.transfers);
      expect(report.totals.matched.count).toBeGreaterThanOrEqual(4 + (c2cTotals?.claims ?? 0) + 1);
      expect(report.totals.shadow.count).toBe(0);
      expect(report.totals.in_transit.count).toBe(0);
      // b2c: 3 grants drawn, all booked (the send spends them), the issuer's books agree
      expect(report.grants?.totals.booked.count).toBeGreaterThanOrEqual(3);
    }
    // the real lane saw nothing of the rehearsal
    const real = await recon({});
    expect(real.code).toBe(0);
    expect(real.report.totals.matched.count).toBe(0);
  });
});
