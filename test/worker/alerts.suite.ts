import { describe, expect, it } from 'vitest';
import { refundNoFor } from '../../src/domain/order.js';
import { booksOf, isSettled } from './support/settled.js';
import { startHarness, waitFor, type Backend } from './support/settlement-harness.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

export function alertsSuite(backend: Backend): void {
  describe(`alerts for stuck orders (${backend})`, () => {
    it('raises exactly one alert per stuck order over many sweeps, and settles them once finance answers', async () => {
      const webhook = await startWebhookReceiver();
      const h = await startHarness(backend, {
        knobs: { holdOrders: true },
        timings: {
          sweepEveryMs: 100,
          sweepAfterMs: 300,
          alertAfterAttempts: 3,
          retryBaseMs: 30,
          retryMaxMs: 120,
        },
        alertWebhook: webhook.url,
      });
      try {
        const p1 = await h.createPacket('h1', { totalAmount: 300, totalCount: 3, expiresInSec: 1 });
        const p2 = await h.createPacket('h2', { totalAmount: 200, totalCount: 2, expiresInSec: 1 });
        for (const p of [p1, p2]) {
          await waitFor('active', async () => (await h.service.store.getPacket(p.id))?.status === 'active');
          await Promise.all(['u1', 'u2'].map((uid) => h.call('POST', `/v1/packets/${p.id}/claims`, uid)));
        }
        const stuck = [`${p1.id}-1`, `${p1.id}-2`, `${p2.id}-1`, `${p2.id}-2`, refundNoFor(p1.id)];
        // p2 was fully claimed: it never expires into a refund
        await waitFor('five alerts', async () => webhook.received.length >= 5);
        await new Promise((r) => setTimeout(r, 1500)); // ~15 more sweeps, each seeing every stuck order
        for (const ref of stuck) {
          const kind = ref.endsWith('-R') ? 'refund' : 'transfer';
          // the tasks kept retrying long past the alert threshold: later sweeps saw them too
          expect((await h.service.store.getTask(kind, ref))?.attempts).toBeGreaterThanOrEqual(6);
        }

        const refs = webhook.received.map((a) => a.ref).sort();
        expect(refs).toStrictEqual([...stuck].sort());
        expect(webhook.received.every((a) => a.level === 'alert' && a.type === 'order_unsettled')).toBe(true);
        expect(webhook.received.filter((a) => a.orderKind === 'transfer')).toHaveLength(4);
        expect(h.alertLines.map((l) => JSON.parse(l) as Record<string, unknown>)).toStrictEqual(
          webhook.received,
        );
        expect((await h.service.store.listAlerts()).map((a) => a.ref).sort()).toStrictEqual(
          [...stuck].sort(),
        );

        h.service.finance.knobs.set({ holdOrders: false });
        await waitFor('settled', async () => {
          const books = await Promise.all([p1.id, p2.id].map((id) => booksOf(h.service.store, id)));
          return books.every(isSettled);
        });
        expect(webhook.received).toHaveLength(5);
      } finally {
        await h.stop();
        await webhook.close();
      }
    });
  });
}
