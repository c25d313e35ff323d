import { afterEach, describe, expect, it } from 'vitest';
import { userAccount } from '../../src/finance/store/types.js';
import type { Get } from './support/helpers.js';
import { balanceOf, codeOf, expectBooksBalanced, readWholeLedger } from './support/helpers.js';

export function knobsContract(get: Get) {
  describe('fault knobs', () => {
    afterEach(() => {
      get().finance.knobs.reset();
    });

    it('answers DEPENDENCY_FAILED without doing anything when failureRate is 1, and counts the call', async () => {
      const h = get();
      h.finance.stats.reset();
      h.finance.knobs.set({ failureRate: 1 });
      const transferNo = h.id('TRF');
      const uid = h.id('u');
      expect(
        await codeOf(h.client.transfer({ transferNo, uid, amount: 5, notifyUrl: h.receiver.url('x') })),
      ).toBe('DEPENDENCY_FAILED');
      expect(h.finance.stats.snapshot().routes['POST /finance/transfers']).toEqual({
        requests: 1,
        errors: 1,
      });
      h.finance.knobs.reset();
      expect(await h.client.queryOrder(transferNo)).toBeNull();
      expect(await balanceOf(h, userAccount(uid))).toBeUndefined();
      expect(h.finance.stats.count('GET /finance/orders/:orderNo')).toBe(1);
    });

    it('commits the work and still answers 503 under failAfterCommitRate, so a retry moves the money exactly once', async () => {
      const h = get();
      const uid = h.id('u');
      const input = { transferNo: h.id('TRF'), uid, amount: 321, notifyUrl: h.receiver.url('x') };
      h.finance.knobs.set({ failAfterCommitRate: 1 });
      expect(await codeOf(h.client.transfer(input))).toBe('DEPENDENCY_FAILED');
      expect(await codeOf(h.client.transfer(input))).toBe('DEPENDENCY_FAILED');
      h.finance.knobs.set({ failAfterCommitRate: 0 });
      const order = await h.client.transfer(input);
      expect(order.status).toBe('succeeded');
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 + 321);
      expect((await readWholeLedger(h, 1000)).filter((e) => e.orderNo === input.transferNo)).toHaveLength(2);
      await expectBooksBalanced(h);
    });

    it('sends no callback when dropCallbacks is 1 and two identical ones when duplicateCallbacks is 1', async () => {
      const h = get();
      const dropped = h.id('cb');
      h.finance.knobs.set({ dropCallbacks: 1 });
      await h.client.transfer({
        transferNo: h.id('TRF'),
        uid: h.id('u'),
        amount: 1,
        notifyUrl: h.receiver.url(dropped),
      });
      const doubled = h.id('cb');
      h.finance.knobs.set({ dropCallbacks: 0, duplicateCallbacks: 1 });
      const order = await h.client.transfer({
        transferNo: h.id('TRF'),
        uid: h.id('u'),
        amount: 1,
        notifyUrl: h.receiver.url(doubled),
      });
      await h.finance.notifier.idle();
      expect(h.receiver.received(dropped)).toHaveLength(0);
      const twice = h.receiver.received(doubled);
      expect(twice).toHaveLength(2);
      expect(twice[0]?.raw).toBe(twice[1]?.raw);
      expect(JSON.parse(twice[0]!.raw).order.orderNo).toBe(order.orderNo);
    });

    it('keeps new transfers and refunds pending without moving money while holdOrders is on', async () => {
      const h = get();
      const uid = h.id('u');
      const tag = h.id('cb');
      const input = { transferNo: h.id('TRF'), uid, amount: 77, notifyUrl: h.receiver.url(tag) };
      h.finance.knobs.set({ holdOrders: true });
      expect((await h.client.transfer(input)).status).toBe('pending');
      expect((await h.client.transfer(input)).status).toBe('pending');
      await new Promise((r) => setTimeout(r, 50));
      expect((await h.client.queryOrder(input.transferNo))?.status).toBe('pending');
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000);
      expect((await readWholeLedger(h, 1000)).filter((e) => e.orderNo === input.transferNo)).toEqual([]);
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(0);
      // When the provider answers again, a retry settles the held order once.
      h.finance.knobs.set({ holdOrders: false });
      expect((await h.client.transfer(input)).status).toBe('succeeded');
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 + 77);
      await h.receiver.waitFor(tag, 1);
    });

    it('adds latencyMs to every API call', async () => {
      const h = get();
      h.finance.knobs.set({ latencyMs: 120 });
      const started = performance.now();
      expect(await h.client.queryOrder(h.id('none'))).toBeNull();
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    });

    it('times out a slow provider on the client as DEPENDENCY_FAILED', async () => {
      const h = get();
      h.finance.knobs.set({ latencyMs: 400 });
      const { createFinanceClient } = await import('../../src/finance/client.js');
      const impatient = createFinanceClient({
        baseUrl: h.url,
        secret: 'finance-test-sign-secret-0123456789',
        timeoutMs: 100,
      });
      try {
        expect(await codeOf(impatient.queryOrder(h.id('none')))).toBe('DEPENDENCY_FAILED');
      } finally {
        await impatient.close();
      }
    });

    it('changes knobs over the signed admin API, refuses bad values, and reports request counters', async () => {
      const h = get();
      const knobs = await h.admin.setKnobs({ failureRate: 0.25, holdOrders: true });
      expect(knobs).toMatchObject({ failureRate: 0.25, holdOrders: true, latencyMs: 0 });
      expect(h.finance.knobs.get()).toEqual(knobs);
      expect(await codeOf(h.admin.setKnobs({ failureRate: 2 }))).toBe('VALIDATION_FAILED');
      expect(await codeOf(h.admin.setKnobs({ nonsense: 1 } as never))).toBe('VALIDATION_FAILED');
      await h.admin.setKnobs({ failureRate: 0, holdOrders: false });
      await h.admin.resetStats();
      await h.client.queryOrder(h.id('none'));
      await h.client.queryOrder(h.id('none'));
      const stats = await h.admin.stats();
      expect(stats.routes['GET /finance/orders/:orderNo']).toEqual({ requests: 2, errors: 2 });
      expect(stats.routes['POST /finance/transfers']).toBeUndefined();
      const res = await fetch(`${h.url}/finance/admin/knobs`, { method: 'PUT', body: '{"failureRate":1}' });
      expect(res.status).toBe(401);
      expect(h.finance.knobs.get().failureRate).toBe(0);
    });
  });
}
