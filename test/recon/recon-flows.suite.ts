/**
 * Issue 8 end to end: real C2C flows (create, pay, claim, transfer, expiry refund, an unpaid
 * packet closed) through the all-in-one service and its simulated finance, then `redpkt recon`
 * over the same stores. Clean first; then each fault injected on our side, found, and undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/domain/claim.js';
import { reconCommand, reconListCommand } from '../../src/commands/recon.js';
import type { ReconReport } from '../../src/recon/run-recon.js';
import { booksOf, isSettled } from '../worker/support/settled.js';
import {
  SECRET,
  startHarness,
  waitFor,
  type Backend,
  type Harness,
} from '../worker/support/settlement-harness.js';
import { shanghaiDate } from './rain-flows.js';

export function reconFlowsSuite(backend: Backend): void {
  describe(`redpkt recon over real C2C flows (${backend})`, () => {
    let h: Harness;
    let date: string;
    let refundedId: string;
    let exhaustedId: string;

    const storeFlags = (): Record<string, unknown> =>
      backend === 'mysql'
        ? { mysql: h.config.mysql, dataDir: h.config.dataDir }
        : { dataDir: h.config.dataDir, mysql: [] };

    async function recon(
      extra: Record<string, unknown> = {},
    ): Promise<{ code: number; report: ReconReport; out: string }> {
      let out = '';
      const code = await reconCommand(
        { date, json: true, ...storeFlags(), ...extra },
        { write: (t) => (out += t), now: () => 1_000 },
      );
      return { code, report: JSON.parse(out) as ReconReport, out };
    }

    const claimsOf = async (id: string): Promise<Claim[]> => h.service.store.listClaims(id);

    beforeAll(async () => {
      h = await startHarness(backend);
      const refunded = await h.createPacket('s1', { totalAmount: 500, totalCount: 5, expiresInSec: 5 });
      const exhausted = await h.createPacket('s2', { totalAmount: 300, totalCount: 3, expiresInSec: 5 });
      const unpaid = await h.createPacket('s3', { totalAmount: 100, totalCount: 1, expiresInSec: 2 }, false);
      refundedId = refunded.id;
      exhaustedId = exhausted.id;
      for (const id of [refunded.id, exhausted.id])
        await waitFor('active', async () => (await h.service.store.getPacket(id))?.status === 'active');
      for (const uid of ['a', 'b', 'c']) {
        await h.call('POST', `/v1/packets/${refunded.id}/claims`, uid);
        await h.call('POST', `/v1/packets/${exhausted.id}/claims`, uid);
      }
      await waitFor('every order to settle', async () => {
        const books = await Promise.all(
          [refunded.id, exhausted.id, unpaid.id].map((id) => booksOf(h.service.store, id)),
        );
        return books.every(isSettled) ? books : undefined;
      });
      date = shanghaiDate((await h.service.store.getPacket(refunded.id))!.createdAt);
    }, 60_000);
    afterAll(async () => {
      await h?.stop();
    });

    it('reconciles real flows with zero discrepancies, the same from the ledger API and the finance store', async () => {
      const fromStore = await recon();
      expect(fromStore.code).toBe(0);
      expect(fromStore.report.clean).toBe(true);
      expect(fromStore.report.discrepancyCount).toBe(0);
      // 3 payments (one closed), 6 transfers, 1 refund
      expect(fromStore.report.totals.matched).toEqual({ count: 2 + 6 + 1, fen: 800 + 800 - 0 });
      expect(fromStore.report.totals.closed.count).toBe(1);
      expect(fromStore.report.c2c).toMatchObject({ packets: 3, finalPackets: 3, paid: 800, violations: 0 });
      const fromApi = await recon({ finance: h.url, secret: SECRET });
      expect(fromApi.report).toEqual(fromStore.report);
    });

    it('gives the same report when run twice, and keeps one stored report per window', async () => {
      const first = await recon();
      const second = await recon();
      expect(second.out).toBe(first.out);
      let listed = '';
      await reconListCommand(
        { ...(storeFlags() as { mysql: string[] }), json: true },
        { write: (t) => (listed += t), now: () => 0 },
      );
      const history = JSON.parse(listed) as { windowKey: string; type: string; clean: boolean }[];
      expect(history.filter((r) => r.windowKey === first.report.window.key && r.type === 'c2c')).toHaveLength(
        1,
      );
    });

    it('finds an order the provider never heard of as missing at the provider, with its fen', async () => {
      const at = (await h.service.store.getPacket(refundedId))!.createdAt;
      await h.sql(
        `INSERT INTO payment_orders (pay_order_no, packet_id, payer_uid, amount, status, provider_txn_id, created_at, updated_at)
         VALUES ('PAY-GHOST', 'P-GHOST', 'ghost', 123, 'paid', 'TXN-GHOST', ?, ?)`,
        [at, at],
      );
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.totals.missing_at_provider).toEqual({ count: 1, fen: 123 });
        expect(report.discrepancyCount).toBe(1);
        expect(report.discrepancies).toEqual([
          expect.objectContaining({
            category: 'missing_at_provider',
            orderNo: 'PAY-GHOST',
            ours: 123,
            theirs: null,
          }),
        ]);
      } finally {
        await h.sql(`DELETE FROM payment_orders WHERE pay_order_no = 'PAY-GHOST'`);
      }
    });

    it('finds a changed amount as an amount mismatch, and the packet whose sums no longer add up', async () => {
      const [claim] = await claimsOf(exhaustedId);
      await h.sql('UPDATE claims SET amount = amount + 1 WHERE claim_no = ?', [claim!.claimNo]);
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.totals.amount_mismatch).toEqual({ count: 1, fen: claim!.amount + 1 });
        expect(report.discrepancies.map((d) => [d.category, d.orderNo])).toEqual([
          ['amount_mismatch', claim!.claimNo],
          ['invariant', exhaustedId],
        ]);
        expect(report.discrepancies[0]).toMatchObject({ ours: claim!.amount + 1, theirs: claim!.amount });
      } finally {
        await h.sql('UPDATE claims SET amount = amount - 1 WHERE claim_no = ?', [claim!.claimNo]);
      }
    });

    it('finds a dropped transfer row of ours as missing on our side', async () => {
      const [claim] = await claimsOf(refundedId);
      const c = claim!;
      await h.sql('DELETE FROM claims WHERE claim_no = ?', [c.claimNo]);
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.totals.missing_ours).toEqual({ count: 1, fen: c.amount });
        expect(report.discrepancies.map((d) => [d.category, d.orderNo])).toEqual([
          ['missing_ours', c.claimNo],
          ['invariant', refundedId],
        ]);
      } finally {
        await h.sql(
          `INSERT INTO claims (claim_no, packet_id, uid, seq, amount, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [c.claimNo, c.packetId, c.uid, c.seq, c.amount, c.status, c.createdAt, c.updatedAt],
        );
      }
    });

    it('finds a transfer we call failed that the provider paid as a status mismatch', async () => {
      const [claim] = await claimsOf(exhaustedId);
      // a failed transfer is retried by design, so the sweeper would heal this fault (it asks
      // finance, finds the money moved, and marks the claim transferred) before recon reads it on
      // a busy machine: hold the sweeper while the fault is in place
      const { sweeper } = h.service.background;
      await sweeper.stop();
      await h.sql(`UPDATE claims SET status = 'failed' WHERE claim_no = ?`, [claim!.claimNo]);
      try {
        const { code, report } = await recon();
        expect(code, JSON.stringify(report.totals)).toBe(1);
        expect(report.totals.status_mismatch).toEqual({ count: 1, fen: claim!.amount });
        expect(report.discrepancies[0]).toMatchObject({
          category: 'status_mismatch',
          orderNo: claim!.claimNo,
        });
      } finally {
        await h.sql(`UPDATE claims SET status = 'transferred' WHERE claim_no = ?`, [claim!.claimNo]);
        sweeper.start();
      }
      expect((await recon()).code).toBe(0);
    });

    it('counts a transfer held in flight at the provider across the cut-off as in transit, not an error', async () => {
      const p = await h.createPacket('s4', { totalAmount: 200, totalCount: 2, expiresInSec: 600 });
      await waitFor('active', async () => (await h.service.store.getPacket(p.id))?.status === 'active');
      h.service.finance.knobs.set({ holdOrders: true });
      await h.call('POST', `/v1/packets/${p.id}/claims`, 'e');
      const claim = await waitFor('a transfer in flight', async () => {
        const [c] = await claimsOf(p.id);
        return c?.status === 'transferring' ? c : undefined;
      });
      const { code, report } = await recon({ cutoff: '1s' });
      expect(code).toBe(0);
      expect(report.totals.in_transit).toEqual({ count: 1, fen: claim.amount });
      expect(report.discrepancyCount).toBe(0);
    });
  });
}
