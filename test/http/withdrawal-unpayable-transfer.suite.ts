/**
 * A withdrawal whose transfer finance stored (held) and then could not pay ends with exactly one
 * outcome: finance failed the order, our side gave the held amount back, and a replay of the
 * transfer number never pays. The withdrawal use cases run against a real packet store and a real
 * finance over HTTP, both on one backend.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedpktError } from '../../src/domain/errors.js';
import type { PacketStore, PaymentProvider } from '../../src/domain/ports.js';
import { userAccount } from '../../src/finance/store/types.js';
import { applyWithdrawalEvent, runWithdrawal, withdraw } from '../../src/services/subsidy/withdrawals.js';
import { createStore } from '../../src/storage/create-store.js';
import { NOW, unique } from '../contract/contract-fixtures.js';
import { richUser } from '../contract/subsidy-fixtures.js';
import type { FinanceHarness } from '../finance/support/finance-harness.js';
import { startFinanceHarness } from '../finance/support/finance-harness.js';
import {
  balanceOf,
  drainMerchant,
  expectBooksBalanced,
  paidOrder,
  readWholeLedger,
  whileHeld,
} from '../finance/support/helpers.js';
import type { Backend } from '../support/service.js';
import { createTestMysql } from '../support/services.js';
import type { TestMysql } from '../support/services.js';

type Deps = Parameters<typeof withdraw>[0];

export function withdrawalUnpayableTransferSuite(backend: Backend) {
  describe(`withdrawals whose transfer finance cannot pay (${backend})`, () => {
    let h: FinanceHarness;
    let store: PacketStore;
    let dir: string | undefined;
    let db: TestMysql | undefined;
    let deps: Deps;
    const tag = `wdr-${backend}`;

    beforeAll(async () => {
      h = await startFinanceHarness(backend);
      if (backend === 'mysql') {
        db = await createTestMysql('wdr');
        store = await createStore({ kind: 'mysql', urls: [db.url] });
      } else {
        dir = await mkdtemp(join(tmpdir(), 'redpkt-wdr-'));
        store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
      }
      await store.migrate();
      deps = {
        store,
        provider: h.client,
        notifyUrl: h.receiver.url(tag),
        now: () => NOW + 60_000,
      } satisfies Deps;
    });
    afterAll(async () => {
      await store?.close();
      await h?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
      await db?.drop();
    });

    /** A withdrawal of `amount` whose transfer finance holds (stored, pending). */
    async function heldWithdrawal(uid: string, amount: number) {
      return whileHeld(h, async () => {
        const { withdrawal } = await withdraw(deps, { uid, outOrderNo: unique('w'), amount });
        expect(withdrawal.status).toBe('pending');
        expect((await h.client.queryOrder(withdrawal.withdrawalNo))?.status).toBe('pending');
        expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: amount });
        return withdrawal;
      });
    }

    it('fails the held transfer at finance and gives the hold back once; a replay of its number pays nothing', async () => {
      const uid = await richUser(deps, 150);
      const { withdrawalNo } = await heldWithdrawal(uid, 150);
      const wallet = await balanceOf(h, userAccount(uid));
      await drainMerchant(h, 100); // the float is short of the 150 fen

      // the withdrawal task's retry: finance cannot pay the order it stored, and fails it
      const settled = await runWithdrawal(deps, withdrawalNo);
      expect(settled.status).toBe('failed');
      expect(await h.client.queryOrder(withdrawalNo)).toMatchObject({ status: 'failed', txnId: null });
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 150, held: 0 });

      // a payment refills the float; then the number comes back every way it can
      await paidOrder(h, h.id('payer'), 1_000, h.receiver.url('pay'));
      const replay = await h.client.transfer({
        transferNo: withdrawalNo,
        uid,
        amount: 150,
        notifyUrl: deps.notifyUrl,
      });
      expect(replay.status).toBe('failed');
      expect((await runWithdrawal(deps, withdrawalNo)).status).toBe('failed');
      const [callback] = await h.receiver.waitFor(tag, 1);
      const event = JSON.parse(callback!.raw) as { order: Parameters<typeof applyWithdrawalEvent>[1] };
      expect((await applyWithdrawalEvent(deps, event.order))?.status).toBe('failed');

      // exactly one outcome: the user kept the subsidy, the wallet got nothing, the books balance
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 150, held: 0 });
      expect(await balanceOf(h, userAccount(uid))).toBe(wallet);
      expect((await readWholeLedger(h, 1000)).filter((e) => e.orderNo === withdrawalNo)).toEqual([]);
      expect(await store.getWithdrawal(withdrawalNo)).toMatchObject({
        status: 'failed',
        providerTxnId: null,
      });
      await expectBooksBalanced(h);
    });

    it('keeps a withdrawal pending and held while finance still has its transfer pending, whatever the refusal said', async () => {
      const uid = await richUser(deps, 150);
      const { withdrawalNo } = await heldWithdrawal(uid, 150);
      const wallet = (await balanceOf(h, userAccount(uid))) ?? 0;
      // a provider that refuses for want of money while its stored order stays pending
      const refusing: PaymentProvider = {
        ...h.client,
        transfer: async () => {
          throw new RedpktError('INSUFFICIENT_BALANCE', 'the merchant cannot pay');
        },
        queryOrder: (orderNo) => h.client.queryOrder(orderNo),
      };
      const settled = await runWithdrawal({ ...deps, provider: refusing }, withdrawalNo);
      expect(settled.status).toBe('pending');
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 150 });

      // finance pays it later: the withdrawal succeeds, once
      expect((await runWithdrawal(deps, withdrawalNo)).status).toBe('succeeded');
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 0 });
      expect(await balanceOf(h, userAccount(uid))).toBe(wallet + 150);
      await expectBooksBalanced(h);
    });

    it('fails a withdrawal finance refused without recording anything', async () => {
      const uid = await richUser(deps, 300);
      const refusing: PaymentProvider = {
        ...h.client,
        transfer: async () => {
          throw new RedpktError('INSUFFICIENT_BALANCE', 'the merchant cannot pay');
        },
        queryOrder: (orderNo) => h.client.queryOrder(orderNo),
      };
      const { withdrawal } = await withdraw(
        { ...deps, provider: refusing },
        { uid, outOrderNo: unique('w'), amount: 300 },
      );
      expect(withdrawal.status).toBe('failed');
      expect(await h.client.queryOrder(withdrawal.withdrawalNo)).toBeNull();
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 300, held: 0 });
    });

    it('leaves the withdrawal pending when finance cannot be asked after a refusal', async () => {
      const uid = await richUser(deps, 200);
      const provider: PaymentProvider = {
        ...h.client,
        transfer: async () => {
          throw new RedpktError('INSUFFICIENT_BALANCE', 'the merchant cannot pay');
        },
        queryOrder: async () => {
          throw new RedpktError('DEPENDENCY_FAILED', 'finance is down');
        },
      };
      const { withdrawal } = await withdraw(
        { ...deps, provider },
        { uid, outOrderNo: unique('w'), amount: 200 },
      );
      expect(withdrawal.status).toBe('pending');
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 200 });
    });
  });
}
