import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../src/domain/ports.js';
import { verifySignature } from '../../src/finance/signature.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { SIGN_SECRET, startFinanceHarness } from './support/finance-harness.js';
import type { Get } from './support/helpers.js';

export function callbacksContract(backend: Backend, get: Get) {
  describe('callback delivery', () => {
    it('retries a callback the receiver refused until it is accepted', async () => {
      const h = get();
      const tag = h.id('cb');
      h.receiver.failNext(tag, 2, 503);
      await h.client.transfer({
        transferNo: h.id('TRF'),
        uid: h.id('u'),
        amount: 3,
        notifyUrl: h.receiver.url(tag),
      });
      const [cb] = await h.receiver.waitFor(tag, 1);
      const ts = String(cb?.headers['x-finance-timestamp']);
      expect(verifySignature(SIGN_SECRET, cb!.raw, ts, String(cb?.headers['x-finance-signature']))).toBe(
        true,
      );
    });

    describe('with a delay knob and dice that always roll high', () => {
      let slow: FinanceHarness;
      beforeAll(async () => {
        slow = await startFinanceHarness(backend, { random: () => 0.99 });
      });
      afterAll(async () => {
        await slow?.stop();
      });

      it('answers at once and delivers the callback after callbackDelayMs', async () => {
        // long enough that even a very busy machine has its answer before the callback
        slow.finance.knobs.set({ callbackDelayMs: 3_000 });
        const tag = slow.id('cb');
        const started = Date.now();
        const order = await slow.client.transfer({
          transferNo: slow.id('TRF'),
          uid: slow.id('u'),
          amount: 9,
          notifyUrl: slow.receiver.url(tag),
        });
        // "at once": answered before the callback went out, not within some milliseconds (how
        // fast is a speed, issue 18); the callback came no sooner than its delay
        expect(order.status).toBe('succeeded');
        expect(slow.receiver.received(tag)).toHaveLength(0);
        const [cb] = await slow.receiver.waitFor(tag, 1, 60_000);
        // the dice roll 0.99: a delay of floor(0.99 * 3,000) = 2,970 ms (10 ms for the clocks)
        expect(cb!.at - started).toBeGreaterThanOrEqual(2_960);
        expect((JSON.parse(cb!.raw) as ProviderEvent).order.orderNo).toBe(order.orderNo);
      });
    });
  });
}
