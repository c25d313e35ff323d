import { describe, expect, it } from 'vitest';
import { refundNoFor } from '../../src/domain/order.js';
import { booksOf, isSettled } from './support/settled.js';
import { startHarness, waitFor, type Backend } from './support/settlement-harness.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

/** Generous: the machine running the tests may be very busy (issue 18.12). */
const DEADLINE_MS = 45_000;

type Line = Record<string, unknown> & { orders?: { ref: string }[]; count?: number };

/** A packet sent, paid and claimed by two (its 8 s life is for them, on a busy machine): its id. */
async function activeAndClaimed(
  h: Awaited<ReturnType<typeof startHarness>>,
  sender: string,
  totalAmount: number,
  totalCount: number,
): Promise<string> {
  const p = await h.createPacket(sender, { totalAmount, totalCount, expiresInSec: 8 });
  await waitFor(
    'paid',
    async () => (await h.service.store.getPacket(p.id))?.status !== 'unpaid',
    DEADLINE_MS,
  );
  const answers = await Promise.all(
    ['u1', 'u2'].map((uid) => h.call('POST', `/v1/packets/${p.id}/claims`, uid)),
  );
  expect(answers.map((a) => a.status)).toStrictEqual([200, 200]);
  return p.id;
}

export function alertsSuite(backend: Backend): void {
  describe(`alerts for stuck orders (${backend})`, () => {
    /** Two packets with two claims each; p1 expires into a refund. Five orders in all. */
    async function stuckOrders(h: Awaited<ReturnType<typeof startHarness>>) {
      const p1 = await activeAndClaimed(h, 'h1', 300, 3);
      const p2 = await activeAndClaimed(h, 'h2', 200, 2);
      // p2 was fully claimed: it never expires into a refund
      const refs = [`${p1}-1`, `${p1}-2`, `${p2}-1`, `${p2}-2`, refundNoFor(p1)];
      return { packets: [p1, p2], refs };
    }
    const lines = (h: { alertLines: string[] }, type: string) =>
      h.alertLines.map((l) => JSON.parse(l) as Line).filter((l) => l.type === type);
    const orderRefs = (calls: Line[]) => calls.flatMap((c) => (c.orders ?? []).map((o) => o.ref)).sort();

    it('raises one alert per stuck order, pages once per cause per interval with every order in it, and settles once finance answers', async () => {
      const webhook = await startWebhookReceiver();
      const groupMs = 1_000;
      const h = await startHarness(backend, {
        knobs: { holdOrders: true },
        timings: {
          sweepEveryMs: 100,
          sweepAfterMs: 300,
          alertAfterAttempts: 3,
          alertGroupMs: groupMs,
          paymentTimeoutMs: 60_000,
          retryBaseMs: 30,
          retryMaxMs: 120,
        },
        alertWebhook: webhook.url,
      });
      try {
        const { packets, refs } = await stuckOrders(h);
        await waitFor(
          'every stuck order in a webhook call',
          async () => orderRefs(webhook.received).length >= refs.length,
          DEADLINE_MS,
        );
        expect(orderRefs(webhook.received)).toStrictEqual([...refs].sort());
        // finance answers "pending" for every one of them: one cause
        expect(webhook.received.every((c) => c.type === 'orders_unsettled')).toBe(true);
        const causes = lines(h, 'order_unsettled').map((l) => [l.cause, l.lastError]);
        expect(causes.filter(([cause]) => cause !== 'finance_not_settling')).toStrictEqual([]);
        expect(new Set(webhook.received.map((c) => c.cause))).toEqual(new Set(['finance_not_settling']));
        const ats = webhook.received.map((c) => Date.parse(String(c.at)));
        for (let i = 1; i < ats.length; i++) expect(ats[i]! - ats[i - 1]!).toBeGreaterThanOrEqual(groupMs);
        for (const c of webhook.received as Line[]) {
          expect(c.count).toBe(c.orders?.length);
          expect(c.message).toMatch(/^finance answers but does not settle: .* waiting, oldest alert since /);
        }
        // the log: one line per order, and the grouped lines exactly as posted
        expect(
          lines(h, 'order_unsettled')
            .map((l) => l.ref)
            .sort(),
        ).toStrictEqual([...refs].sort());
        expect(lines(h, 'orders_unsettled')).toStrictEqual(webhook.received);
        expect((await h.service.store.listAlerts()).map((a) => a.ref).sort()).toStrictEqual([...refs].sort());

        h.service.finance.knobs.set({ holdOrders: false });
        await waitFor(
          'settled',
          async () => (await Promise.all(packets.map((id) => booksOf(h.service.store, id)))).every(isSettled),
          DEADLINE_MS,
        );
        // no order alerted twice, however many sweeps saw it
        expect(lines(h, 'order_unsettled')).toHaveLength(refs.length);
      } finally {
        await h.stop();
        await webhook.close();
      }
    });

    it('pages a finance outage (every call failing) once per interval, not once per order', async () => {
      const webhook = await startWebhookReceiver();
      const h = await startHarness(backend, {
        timings: {
          sweepEveryMs: 100,
          sweepAfterMs: 300,
          alertAfterAttempts: 3,
          alertGroupMs: 10 * 60_000,
          paymentTimeoutMs: 60_000,
          retryBaseMs: 30,
          retryMaxMs: 120,
        },
        alertWebhook: webhook.url,
      });
      try {
        // the payments go through; then finance answers every call 503 DEPENDENCY_FAILED
        const paid = async (sender: string, totalAmount: number, totalCount: number) => {
          const p = await h.createPacket(sender, { totalAmount, totalCount, expiresInSec: 5 });
          await waitFor(
            'paid',
            async () => (await h.service.store.getPacket(p.id))?.status !== 'unpaid',
            DEADLINE_MS,
          );
          return p.id;
        };
        const p1 = await paid('o1', 300, 3);
        const p2 = await paid('o2', 200, 2);
        h.service.finance.knobs.set({ failureRate: 1 });
        for (const id of [p1, p2]) {
          const answers = await Promise.all(
            ['u1', 'u2'].map((uid) => h.call('POST', `/v1/packets/${id}/claims`, uid)),
          );
          expect(answers.map((a) => a.status)).toStrictEqual([200, 200]);
        }
        const refs = [`${p1}-1`, `${p1}-2`, `${p2}-1`, `${p2}-2`, refundNoFor(p1)];

        await waitFor(
          'an alert line for every order',
          async () => lines(h, 'order_unsettled').length >= refs.length,
          DEADLINE_MS,
        );
        await waitFor('the page', async () => webhook.received.length >= 1, DEADLINE_MS);
        await new Promise((r) => setTimeout(r, 500)); // a few more sweeps: nothing more is paged
        expect(webhook.received).toHaveLength(1);
        const [page] = webhook.received as [Line];
        expect(page).toMatchObject({ type: 'orders_unsettled', cause: 'finance_unreachable' });
        expect(page.message).toMatch(/^finance unreachable: /);
        expect(orderRefs([page]).every((ref) => refs.includes(ref))).toBe(true);
        expect(lines(h, 'order_unsettled').every((l) => l.cause === 'finance_unreachable')).toBe(true);
        expect(
          lines(h, 'order_unsettled')
            .map((l) => l.ref)
            .sort(),
        ).toStrictEqual([...refs].sort());

        h.service.finance.knobs.set({ failureRate: 0 });
        await waitFor(
          'settled',
          async () =>
            (await Promise.all([p1, p2].map((id) => booksOf(h.service.store, id)))).every(isSettled),
          DEADLINE_MS,
        );
      } finally {
        await h.stop();
        await webhook.close();
      }
    });
  });
}
