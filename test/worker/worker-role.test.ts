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
      expect(await (await fetch(`${worker.url}/healthz`)).json()).toStrictEqual({
        ok: true,
        role: 'worker',
        shadow: false,
      });
      expect((await fetch(`${worker.url}/v1/packets/P00AAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);

      // 3 s: the claims come before the expiry on a busy machine too (1 s did not, at load 10)
      const p = await main.createPacket('w1', { totalAmount: 300, totalCount: 3, expiresInSec: 3 });
      await waitFor('active', async () => (await main.service.store.getPacket(p.id))?.status === 'active');
      const answers = await Promise.all(
        ['a', 'b'].map((uid) => main.call('POST', `/v1/packets/${p.id}/claims`, uid)),
      );
      expect(answers.map((a) => a.status)).toStrictEqual([200, 200]);

      const transferTasksDone = async () => {
        const claims = await main.service.store.listClaims(p.id);
        const tasks = await Promise.all(claims.map((c) => main.service.store.getTask('transfer', c.claimNo)));
        return tasks.every((t) => t?.status === 'done');
      };
      await waitFor(
        'refunded and every transfer task done',
        async () =>
          (await main.service.store.getPacket(p.id))?.status === 'refunded' && (await transferTasksDone()),
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

  it("works the shadow lane's tasks too once the shadow store exists (issue 5)", async () => {
    const main = await startHarness('sqlite', { timings: { pollMs: 600_000, sweepEveryMs: 600_000 } });
    const shadow = await main.service.shadow(); // its store exists now
    const worker = await startWorkerService(
      { ...main.config, port: 0, role: 'worker', financeUrl: main.url, worker: FAST },
      { log: () => {} },
    );
    const h = { 'x-redpkt-shadow': '1' };
    try {
      expect(await (await fetch(`${worker.url}/healthz`)).json()).toMatchObject({ shadow: true });
      const body = { outOrderNo: `sw-${Date.now()}`, totalAmount: 300, totalCount: 3, expiresInSec: 1 };
      const created = await main.call('POST', '/v1/c2c/packets', 'sw', body, h);
      expect(created.status).toBe(201);
      const id: string = created.body.packetId;
      expect(
        (await main.call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, 'sw', undefined, h))
          .status,
      ).toBe(200);
      await waitFor('active', async () => (await shadow.store.getPacket(id))?.status === 'active');
      expect((await main.call('POST', `/v1/packets/${id}/claims`, 'a', undefined, h)).status).toBe(200);
      await waitFor('refunded', async () => (await shadow.store.getPacket(id))?.status === 'refunded');
      const [claim] = await shadow.store.listClaims(id);
      expect(claim?.status).toBe('transferred');
      // the refund went to the shadow books, not the real ones
      expect(await shadow.finance.store.getOrder(`${id}-R`)).toMatchObject({ status: 'succeeded' });
      expect(await main.service.finance.store.getOrder(`${id}-R`)).toBeNull();
    } finally {
      await worker.close();
      await main.stop();
    }
  });
});
