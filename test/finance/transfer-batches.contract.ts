/**
 * Batch transfers (`transferMany`, `POST /finance/transfers/batch`): each item exactly as a single
 * transfer, one transaction per batch, and callbacks only for what a batch leaves pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderOrder, TransferResult } from '../../src/domain/ports.js';
import { MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { startFinanceHarness } from './support/finance-harness.js';
import type { Get } from './support/helpers.js';
import { balanceOf, expectBooksBalanced, merchantOf, readWholeLedger, whileHeld } from './support/helpers.js';

type Item = { transferNo: string; uid: string; amount: number };

/** The orders of a batch answer; fails the test when any item was refused. */
function ordersOf(results: TransferResult[]): ProviderOrder[] {
  return results.map((r) => {
    if (!r.order) throw new Error(`item refused: ${r.error.code} ${r.error.message}`);
    return r.order;
  });
}

const ledgerOf = async (h: FinanceHarness, orderNos: string[]) =>
  (await readWholeLedger(h, 2000)).filter((e) => orderNos.includes(e.orderNo));

export function transferBatchesContract(backend: Backend, get: Get) {
  describe('batch transfers', () => {
    const items = (h: FinanceHarness, amounts: number[], uids = amounts.map(() => h.id('u'))): Item[] =>
      amounts.map((amount, i) => ({ transferNo: h.id('BTF'), uid: uids[i] ?? h.id('u'), amount }));

    it('pays a batch of new transfers: the merchant down by the total, each payee up, ledgered once', async () => {
      const h = get();
      const shared = h.id('u');
      const batch = items(h, [10, 20, 30, 40], [h.id('u'), shared, h.id('u'), shared]);
      const merchantBefore = await merchantOf(h);
      const tag = h.id('cb');
      const orders = ordersOf(
        await h.client.transferMany({ transfers: batch, notifyUrl: h.receiver.url(tag) }),
      );

      expect(orders.map((o) => [o.orderNo, o.uid, o.amount, o.status, o.kind])).toEqual(
        batch.map((b) => [b.transferNo, b.uid, b.amount, 'succeeded', 'transfer']),
      );
      expect(new Set(orders.map((o) => o.txnId)).size).toBe(4);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchantBefore - 100);
      expect(await balanceOf(h, userAccount(batch[0]!.uid))).toBe(1_000_000 + 10);
      expect(await balanceOf(h, userAccount(shared))).toBe(1_000_000 + 20 + 40);
      const ledger = await ledgerOf(
        h,
        batch.map((b) => b.transferNo),
      );
      expect(ledger).toHaveLength(8);
      expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
      for (const o of orders) expect(await h.client.queryOrder(o.orderNo)).toEqual(o);
      await expectBooksBalanced(h);
    });

    it('answers a replayed batch with the same orders and moves no money', async () => {
      const h = get();
      const batch = items(h, [5, 6, 7]);
      const input = { transfers: batch, notifyUrl: h.receiver.url('x') };
      const first = await h.client.transferMany(input);
      const merchant = await merchantOf(h);
      const again = await h.client.transferMany({ ...input, notifyUrl: h.receiver.url('elsewhere') });
      expect(again).toEqual(first);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant);
      expect(await balanceOf(h, userAccount(batch[2]!.uid))).toBe(1_000_000 + 7);
      expect(
        await ledgerOf(
          h,
          batch.map((b) => b.transferNo),
        ),
      ).toHaveLength(6);
      await expectBooksBalanced(h);
    });

    it('pays each item once when the same batch races itself and single transfers of its numbers', async () => {
      const h = get();
      const batch = items(h, [1, 2, 3, 4, 5, 6]);
      const notifyUrl = h.receiver.url('x');
      const merchant = await merchantOf(h);
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () => h.client.transferMany({ transfers: batch, notifyUrl })),
        ...batch.map((b) => h.client.transfer({ ...b, notifyUrl }).then((order) => [{ order }])),
      ]);
      const byNo = new Map<string, Set<string | null>>();
      for (const o of answers.flatMap((a) => ordersOf(a))) {
        expect(o.status).toBe('succeeded');
        byNo.set(o.orderNo, (byNo.get(o.orderNo) ?? new Set()).add(o.txnId));
      }
      expect([...byNo.values()].map((txnIds) => txnIds.size)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - 21);
      expect(
        await ledgerOf(
          h,
          batch.map((b) => b.transferNo),
        ),
      ).toHaveLength(12);
      await expectBooksBalanced(h);
    });

    it('settles a batch mixing new, already succeeded and held items, each as a single transfer would', async () => {
      const h = get();
      const [fresh, done, held] = items(h, [11, 22, 33]) as [Item, Item, Item];
      const notifyUrl = h.receiver.url('x');
      const paid = await h.client.transfer({ ...done, notifyUrl });
      await whileHeld(h, async () =>
        expect((await h.client.transfer({ ...held, notifyUrl })).status).toBe('pending'),
      );
      const merchant = await merchantOf(h);

      const [a, b, c] = ordersOf(await h.client.transferMany({ transfers: [fresh, done, held], notifyUrl }));
      expect(a).toMatchObject({ orderNo: fresh.transferNo, status: 'succeeded' });
      expect(b).toEqual(paid);
      expect(c).toMatchObject({ orderNo: held.transferNo, status: 'succeeded', txnId: expect.any(String) });
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - 11 - 33);
      expect(await balanceOf(h, userAccount(held.uid))).toBe(1_000_000 + 33);
      expect(await balanceOf(h, userAccount(done.uid))).toBe(1_000_000 + 22);
      expect(await ledgerOf(h, [fresh.transferNo, done.transferNo, held.transferNo])).toHaveLength(6);
      await expectBooksBalanced(h);
    });

    it('refuses an item replayed with another amount with IDEMPOTENCY_CONFLICT and still pays the others', async () => {
      const h = get();
      const [before, other, after] = items(h, [3, 4, 5]) as [Item, Item, Item];
      const notifyUrl = h.receiver.url('x');
      const stored = await h.client.transfer({ ...other, notifyUrl });
      const merchant = await merchantOf(h);

      const results = await h.client.transferMany({
        transfers: [before, { ...other, amount: 400 }, after],
        notifyUrl,
      });
      expect(results[1]).toEqual({ error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String) } });
      expect(results[0]?.order).toMatchObject({ orderNo: before.transferNo, status: 'succeeded' });
      expect(results[2]?.order).toMatchObject({ orderNo: after.transferNo, status: 'succeeded' });
      expect(await h.client.queryOrder(other.transferNo)).toEqual(stored);
      expect(await balanceOf(h, userAccount(other.uid))).toBe(1_000_000 + 4);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - 8);
      await expectBooksBalanced(h);
    });

    it('keeps a held batch pending without moving money, and settles it when replayed after holdOrders', async () => {
      const h = get();
      const batch = items(h, [7, 8, 9]);
      const tag = h.id('cb');
      const input = { transfers: batch, notifyUrl: h.receiver.url(tag) };
      const merchant = await merchantOf(h);
      const held = ordersOf(await whileHeld(h, () => h.client.transferMany(input)));
      expect(held.map((o) => [o.status, o.txnId])).toEqual(batch.map(() => ['pending', null]));
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant);
      expect(
        await ledgerOf(
          h,
          batch.map((b) => b.transferNo),
        ),
      ).toEqual([]);

      const settled = ordersOf(await h.client.transferMany(input));
      expect(settled.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(settled.map((o) => o.createdAt)).toEqual(held.map((o) => o.createdAt));
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - 24);
      expect(await balanceOf(h, userAccount(batch[1]!.uid))).toBe(1_000_000 + 8);
      await expectBooksBalanced(h);
    });

    it('calls back no order a batch answers final, and a held one when a later single transfer settles it', async () => {
      const h = get();
      const answeredTag = h.id('cb');
      ordersOf(
        await h.client.transferMany({ transfers: items(h, [1, 2]), notifyUrl: h.receiver.url(answeredTag) }),
      );

      const heldTag = h.id('cb');
      const [bySingle, byBatch] = items(h, [3, 4]) as [Item, Item];
      const notifyUrl = h.receiver.url(heldTag);
      await whileHeld(h, () => h.client.transferMany({ transfers: [bySingle, byBatch], notifyUrl }));
      // the single transfer settles its held order and calls back, at the batch's notifyUrl
      const otherTag = h.id('cb');
      const single = await h.client.transfer({ ...bySingle, notifyUrl: h.receiver.url(otherTag) });
      expect(single.status).toBe('succeeded');
      const [callback] = await h.receiver.waitFor(heldTag, 1);
      expect(JSON.parse(callback!.raw)).toMatchObject({
        eventId: `${bySingle.transferNo}:succeeded:${single.txnId}`,
        order: { orderNo: bySingle.transferNo, status: 'succeeded' },
      });
      // a later batch settles the other one and answers it: no callback
      const [settled] = ordersOf(await h.client.transferMany({ transfers: [byBatch], notifyUrl }));
      expect(settled?.status).toBe('succeeded');
      await h.finance.notifier.idle();
      expect(h.receiver.received(answeredTag)).toHaveLength(0);
      expect(h.receiver.received(heldTag)).toHaveLength(1);
      expect(h.receiver.received(otherTag)).toHaveLength(0);
    });

    describe('with a merchant float of 1,000 fen', () => {
      let small: FinanceHarness;
      beforeAll(async () => {
        small = await startFinanceHarness(backend, { merchantInitialBalance: 1_000 });
      });
      afterAll(async () => {
        await small?.stop();
      });

      it('refuses a new item the merchant cannot afford, stores nothing for it, and pays the items around it', async () => {
        const h = small;
        const tag = h.id('cb');
        const [first, tooMuch, fits] = items(h, [500, 600, 400]) as [Item, Item, Item];
        const results = await h.client.transferMany({
          transfers: [first, tooMuch, fits],
          notifyUrl: h.receiver.url(tag),
        });
        expect(results[1]).toEqual({ error: { code: 'INSUFFICIENT_BALANCE', message: expect.any(String) } });
        expect(results[0]?.order?.status).toBe('succeeded');
        expect(results[2]?.order?.status).toBe('succeeded');
        expect(await h.client.queryOrder(tooMuch.transferNo)).toBeNull();
        expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(100);
        expect(await balanceOf(h, userAccount(tooMuch.uid))).toBe(1_000_000);
        expect(await ledgerOf(h, [tooMuch.transferNo])).toEqual([]);
        await expectBooksBalanced(h);
      });

      it('fails a held item the merchant can no longer pay, answering it failed without a callback', async () => {
        const h = small;
        const tag = h.id('cb');
        const notifyUrl = h.receiver.url(tag);
        const merchant = await merchantOf(h, 1_000);
        const [unpayable, payable] = items(h, [merchant + 1, 1]) as [Item, Item];
        await whileHeld(h, () => h.client.transferMany({ transfers: [unpayable], notifyUrl }));
        const [failed, paid] = ordersOf(
          await h.client.transferMany({ transfers: [unpayable, payable], notifyUrl }),
        );
        expect(failed).toMatchObject({ orderNo: unpayable.transferNo, status: 'failed', txnId: null });
        expect(paid?.status).toBe('succeeded');
        expect(await h.client.queryOrder(unpayable.transferNo)).toEqual(failed);
        expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - 1);
        expect(await ledgerOf(h, [unpayable.transferNo])).toEqual([]);
        await h.finance.notifier.idle();
        expect(h.receiver.received(tag)).toHaveLength(0);
        await expectBooksBalanced(h);
      });
    });
  });
}
