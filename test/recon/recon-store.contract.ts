/** Issue 8: the recon reads and report history, the same on every adapter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { PacketStore, ReconStore } from '../../src/domain/ports.js';
import { reconWindow } from '../../src/recon/window.js';
import { createStore, type StoreConfig } from '../../src/storage/create-store.js';
import { openReconStore } from '../../src/storage/recon/create-recon-store.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import { c2cInput } from '../contract/contract-fixtures.js';

export interface ReconStoreHarness {
  config: StoreConfig;
  cleanup(): Promise<void>;
}

/** 2026-02-11 20:00:00.000 in Asia/Shanghai. */
const EIGHT_PM = Date.UTC(2026, 1, 11, 12);

export function reconStoreContract(name: string, factory: () => Promise<ReconStoreHarness>): void {
  describe(`recon store (${name})`, () => {
    let h: ReconStoreHarness;
    let store: PacketStore;
    let recon: ReconStore;

    beforeAll(async () => {
      h = await factory();
      store = await createStore(h.config);
      await store.migrate();
      await store.migrate(); // safe to run again
      const switches = await createSwitchStore(h.config);
      await switches.migrate();
      await switches.close();
      recon = openReconStore(h.config);
    });
    afterAll(async () => {
      await recon.close();
      await store.close();
      await h.cleanup();
    });

    async function packetAt(now: number, totalAmount = 300, totalCount = 3) {
      const input = c2cInput({
        id: newPacketId(0, now),
        payOrderNo: newOrderNo('PAY', now),
        now,
        totalAmount,
        totalCount,
        expiresAt: now + 60_000,
      });
      await store.createC2cPacket(input);
      return input;
    }

    it('puts an order at 19:59:59.999 and one at 20:00:00.000 (Asia/Shanghai) in their own hours', async () => {
      const before = await packetAt(EIGHT_PM - 1);
      const at = await packetAt(EIGHT_PM);
      const h19 = reconWindow('2026-02-11', 19, 'Asia/Shanghai');
      const h20 = reconWindow('2026-02-11', 20, 'Asia/Shanghai');
      const list = async (w: typeof h19) =>
        (
          await recon.listOrders({
            scope: 'c2c',
            kind: 'payment',
            fromMs: w.fromMs,
            toMs: w.toMs,
            limit: 100,
          })
        ).map((o) => o.orderNo);
      expect(await list(h19)).toEqual([before.payOrderNo]);
      expect(await list(h20)).toEqual([at.payOrderNo]);
    });

    it('walks a window in (createdAt, orderNo) pages without skipping or repeating a row', async () => {
      const base = EIGHT_PM + 3_600_000 * 5;
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await packetAt(base + Math.floor(i / 2))); // ties on createdAt
      const seen: string[] = [];
      let after: { createdAt: number; orderNo: string } | undefined;
      for (;;) {
        const page = await recon.listOrders({
          scope: 'c2c',
          kind: 'payment',
          fromMs: base,
          toMs: base + 1000,
          limit: 2,
          ...(after ? { after } : {}),
        });
        seen.push(...page.map((o) => o.orderNo));
        const last = page.at(-1);
        if (!last || page.length < 2) break;
        after = { createdAt: last.createdAt, orderNo: last.orderNo };
      }
      expect([...seen].sort()).toEqual(made.map((m) => m.payOrderNo).sort());
      expect(new Set(seen).size).toBe(5);
    });

    it('reads claims as transfers and refunds, and sums each packet', async () => {
      const t0 = EIGHT_PM + 3_600_000 * 7;
      const p = await packetAt(t0, 300, 3);
      await store.markPaid(p.payOrderNo, 300, 'TXN-1', t0 + 10);
      const { outcomes } = await store.claimShares(p.id, ['u1', 'u2'], t0 + 20);
      const claims = outcomes.flatMap((o) => (o.ok ? [o.claim] : []));
      await store.advanceClaim(claims[0]!.claimNo, 'transferred', t0 + 30);
      const expired = await store.expirePacket(p.id, t0 + 60_000);
      await store.advanceRefund(expired.refund!.refundNo, 'succeeded', t0 + 60_010);

      const window = { fromMs: t0, toMs: t0 + 3_600_000, limit: 100 };
      const transfers = await recon.listOrders({ scope: 'c2c', kind: 'transfer', ...window });
      expect(transfers.map((t) => [t.orderNo, t.status])).toEqual(
        expect.arrayContaining([
          [claims[0]!.claimNo, 'transferred'],
          [claims[1]!.claimNo, 'claimed'],
        ]),
      );
      const refunds = await recon.listOrders({ scope: 'c2c', kind: 'refund', ...window });
      expect(refunds).toEqual([
        expect.objectContaining({ orderNo: expired.refund!.refundNo, status: 'succeeded', mocked: false }),
      ]);

      const [totals] = await recon.listPacketTotals(window);
      expect(totals).toMatchObject({
        packetId: p.id,
        status: 'refunded',
        paid: 300,
        transferred: claims[0]!.amount,
        refunded: expired.refund!.amount,
        claims: 2,
        transfers: 1,
        openOrders: 1,
        mocked: false,
      });
      expect(await recon.findOrder(claims[1]!.claimNo)).toEqual({ kind: 'transfer', createdAt: t0 + 20 });
      expect(await recon.findOrder(p.payOrderNo)).toEqual({ kind: 'payment', createdAt: t0 });
      expect(await recon.findOrder('NO-SUCH-ORDER')).toBeNull();
    });

    it('marks a payment answered by the payment mock (txn MOCK-…) and its packet as mocked', async () => {
      const t0 = EIGHT_PM + 3_600_000 * 9;
      const p = await packetAt(t0, 100, 1);
      await store.markPaid(p.payOrderNo, 100, `MOCK-${p.payOrderNo}`, t0 + 5);
      const window = { fromMs: t0, toMs: t0 + 1000, limit: 10 };
      expect(await recon.listOrders({ scope: 'c2c', kind: 'payment', ...window })).toEqual([
        expect.objectContaining({ orderNo: p.payOrderNo, status: 'paid', mocked: true }),
      ]);
      expect(await recon.listPacketTotals(window)).toEqual([
        expect.objectContaining({ packetId: p.id, mocked: true }),
      ]);
    });

    it('keeps one report per window and type, replaced by a re-run, newest first', async () => {
      const report = {
        windowKey: '2026-02-11@Asia/Shanghai',
        type: 'c2c' as const,
        lane: 'real' as const,
        fromMs: 1,
        toMs: 2,
      };
      await recon.saveReport({ ...report, clean: false, discrepancies: 2, report: '{"a":1}', ranAt: 100 });
      await recon.saveReport({ ...report, clean: true, discrepancies: 0, report: '{"a":2}', ranAt: 200 });
      await recon.saveReport({
        ...report,
        type: 'b2c',
        clean: true,
        discrepancies: 0,
        report: '{}',
        ranAt: 150,
      });
      // a shadow-lane run of the same window and type is its own report, marked as such
      await recon.saveReport({
        ...report,
        lane: 'shadow',
        clean: true,
        discrepancies: 0,
        report: '{"s":1}',
        ranAt: 120,
      });
      const history = await recon.listReports(10);
      expect(history.map((r) => [r.type, r.lane, r.clean, r.report, r.ranAt])).toEqual([
        ['c2c', 'real', true, '{"a":2}', 200],
        ['b2c', 'real', true, '{}', 150],
        ['c2c', 'shadow', true, '{"s":1}', 120],
      ]);
    });
  });
}
