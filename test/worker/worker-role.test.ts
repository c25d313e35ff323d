import { describe, expect, it } from 'vitest';
import { resolveServeConfig } from '../../src/config/serve-config.js';
import { readEnv } from '../../src/config/env.js';
import { startWorkerService } from '../../src/runtime/start-worker-service.js';
import { FAST, startHarness, waitFor } from './support/settlement-harness.js';

describe('serve --role worker', () => {
  it('refuses to start without --finance-url (a usage error)', () => {
    expect(() => resolveServeConfig({ role: 'worker' }, readEnv({}))).toThrow(/--finance-url/);
    expect(() => resolveServeConfig({ role: 'gateway' }, readEnv({}))).toThrow(/role/);
  });

  it('runs the tasks of an all-in-one serve whose own worker is idle, and answers only /healthz', async () => {
    // the all-in-one polls once at start and then sleeps: every task after that is the worker's
    const main = await startHarness('sqlite', { timings: { pollMs: 600_000, sweepEveryMs: 600_000 } });
    const worker = await startWorkerService(
      { ...main.config, port: 0, role: 'worker', financeUrl: main.url, worker: FAST },
      { log: () => {} },
    );
    try {
      expect(await (await fetch(`${worker.url}/healthz`)).json()).toStrictEqual({ ok: true, role: 'worker' });
      expect((await fetch(`${worker.url}/v1/packets/P00AAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);

      const p = await main.createPacket('w1', { totalAmount: 300, totalCount: 3, expiresInSec: 1 });
      await waitFor('active', async () => (await main.service.store.getPacket(p.id))?.status === 'active');
      await Promise.all(['a', 'b'].map((uid) => main.call('POST', `/v1/packets/${p.id}/claims`, uid)));

      await waitFor(
        'refunded',
        async () => (await main.service.store.getPacket(p.id))?.status === 'refunded',
      );
      const claims = await main.service.store.listClaims(p.id);
      expect(claims.map((c) => c.status)).toStrictEqual(['transferred', 'transferred']);
      for (const c of claims) {
        expect(await main.service.store.getTask('transfer', c.claimNo)).toMatchObject({
          status: 'done',
          attempts: 1,
        });
        expect((await main.finance.queryOrder(c.claimNo))?.status).toBe('succeeded');
      }
    } finally {
      await worker.close();
      await main.stop();
    }
  });
});
