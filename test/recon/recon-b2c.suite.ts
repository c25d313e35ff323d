/**
 * Issue 8, B2C: real rain flows through the all-in-one service (draws at the reward issuer, the
 * booking worker, sends with subsidies, claims credited, a withdrawal, an expired packet's
 * remainder returned to its campaign), then `redpkt recon --type b2c`. Clean first, from the
 * finance database and over its HTTP export alike; then each fault injected alone, found, undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconCommand } from '../../src/commands/recon.js';
import { newOrderNo } from '../../src/domain/ids.js';
import type { ReconReport } from '../../src/recon/run-recon.js';
import {
  orderNo,
  SECRET,
  startHarness,
  waitFor,
  type Backend,
  type Harness,
} from '../worker/support/settlement-harness.js';
import { drawGrant, openRainCampaign, sendB2c, shanghaiDate, type Grant } from './rain-flows.js';

export function reconB2cSuite(backend: Backend): void {
  describe(`redpkt recon over real B2C flows (${backend})`, () => {
    let h: Harness;
    let campaign: string;
    let date: string;
    const grants: Grant[] = [];
    let returnNo: string;
    let remainder: number;
    let withdrawn: number;
    let expiredId: string;

    const storeFlags = (): Record<string, unknown> =>
      backend === 'mysql'
        ? { mysql: h.config.mysql, dataDir: h.config.dataDir }
        : { dataDir: h.config.dataDir, mysql: [] };

    async function recon(
      extra: Record<string, unknown> = {},
      now = 1_000 + Date.now(),
    ): Promise<{ code: number; report: ReconReport }> {
      let out = '';
      const code = await reconCommand(
        { date, type: 'b2c', json: true, ...storeFlags(), ...extra },
        { write: (t) => (out += t), now: () => now },
      );
      return { code, report: JSON.parse(out) as ReconReport };
    }
    const draw = (uid: string) => drawGrant(h, campaign, uid);
    const booked = (g: Grant) => async () => (await h.service.store.getSubsidy(g.tokenId)) !== null;
    const send = (uid: string, g: Grant, body: Record<string, unknown>) => sendB2c(h, uid, g, body);
    const statusOf = async (id: string) => (await h.service.store.getPacket(id))?.status;

    beforeAll(async () => {
      h = await startHarness(backend);
      campaign = await openRainCampaign(h);
      for (const uid of ['s1', 's2', 'keeper']) grants.push(await draw(uid));
      for (const g of grants) await waitFor('the grant booked', booked(g));
      date = shanghaiDate(grants[0]!.issuedAt);
      // an exhausted packet: every share credited to a claimer's subsidy balance
      const exhausted = await send('s1', grants[0]!, { totalCount: 2, splitMode: 'fixed' });
      for (const uid of ['c1', 'c2']) await h.call('POST', `/v1/packets/${exhausted.packetId}/claims`, uid);
      // an expiring packet: one claim, the remainder goes back to the campaign
      const expiring = await send('s2', grants[1]!, { totalCount: 3, splitMode: 'fixed', expiresInSec: 1 });
      expiredId = expiring.packetId;
      await h.call('POST', `/v1/packets/${expiredId}/claims`, 'c3');
      await waitFor('the remainder returned', async () => (await statusOf(expiredId)) === 'refunded', 20_000);
      await waitFor('every claim credited', async () => {
        const claims = [
          ...(await h.service.store.listClaims(exhausted.packetId)),
          ...(await h.service.store.listClaims(expiredId)),
        ];
        return claims.length === 3 && claims.every((c) => c.status === 'transferred');
      });
      const [credited] = await h.service.store.listClaims(exhausted.packetId);
      withdrawn = credited!.amount;
      const w = await h.call('POST', '/v1/me/withdrawals', credited!.uid, {
        outOrderNo: orderNo('w'),
        amount: withdrawn,
      });
      if (w.status !== 201 || w.body.status !== 'succeeded')
        throw new Error(`withdrawal: ${JSON.stringify(w.body)}`);
      const claimedOfExpired = (await h.service.store.listClaims(expiredId))[0]!.amount;
      remainder = grants[1]!.amount - claimedOfExpired;
      returnNo = `${expiredId}-R`;
    }, 60_000);
    afterAll(async () => {
      await h?.stop();
    });

    it('reconciles a clean B2C flow: grants issued == booked, returns and withdrawals matched, the same from the database and over HTTP', async () => {
      const fromDb = await recon();
      expect(fromDb.code).toBe(0);
      const r = fromDb.report;
      expect(r.discrepancyCount).toBe(0);
      // one withdrawal and one return, matched one by one
      expect(r.totals.matched).toEqual({ count: 2, fen: withdrawn + remainder });
      const issued = grants.reduce((s, g) => s + g.amount, 0);
      expect(r.grants?.totals.booked).toEqual({ count: 3, fen: issued });
      expect(r.grants?.campaigns).toEqual([
        {
          campaign,
          issued: { count: 3, fen: issued },
          booked: { count: 3, fen: issued },
          outstanding: { count: 0, fen: 0 },
          ok: true,
        },
      ]);
      expect(r.b2c?.map((c) => [c.name, c.status])).toEqual([
        ['subsidies issued == booked + outstanding tokens (fen)', 'ok'],
        ['used subsidies == B2C packets (fen)', 'ok'],
        ['B2C claims == transfers (credits), per packet once final', 'ok'],
      ]);
      expect(r.b2cPackets).toMatchObject({
        packets: 2,
        finalPackets: 2,
        paid: grants[0]!.amount + grants[1]!.amount,
        refunded: remainder,
        claims: 3,
        transfers: 3,
        violations: 0,
      });
      const overHttp = await recon({ finance: h.url, secret: SECRET });
      expect(overHttp.report).toEqual(r);
    });

    it('reports an issued grant not booked yet as in transit, and after the cut-off as outstanding with its fen (exit 0)', async () => {
      const { booking } = h.service.subsidy;
      booking.setRate(0);
      await new Promise((r) => setTimeout(r, 300)); // a receive in flight returns
      const g = await draw('never-opened');
      try {
        expect(await h.service.store.getSubsidy(g.tokenId)).toBeNull();
        const soon = await recon({}, g.issuedAt + 1_000);
        expect(soon.code).toBe(0);
        expect(soon.report.grants?.totals.in_transit).toEqual({ count: 1, fen: g.amount });
        const later = await recon({}, g.issuedAt + 16 * 60_000);
        expect(later.code).toBe(0);
        expect(later.report.grants?.totals.outstanding).toEqual({ count: 1, fen: g.amount });
        expect(later.report.grants?.total).toMatchObject({
          outstanding: { count: 1, fen: g.amount },
          ok: true,
        });
        const check = later.report.b2c?.find((c) => c.name.startsWith('subsidies issued'));
        expect(check).toMatchObject({ status: 'ok', theirs: check!.ours });
      } finally {
        booking.setRate(2_000);
      }
      await waitFor('the late grant booked', booked(g));
      grants.push(g);
      expect((await recon()).report.grants?.totals.outstanding.count).toBe(0);
    });

    it('finds a booked subsidy of another amount than issued, and its campaign out of balance', async () => {
      const g = grants[2]!; // booked, never spent
      await h.sql('UPDATE subsidies SET amount = amount + 7 WHERE out_grant_no = ?', [g.outGrantNo]);
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.grants?.totals.amount_mismatch).toEqual({ count: 1, fen: g.amount + 7 });
        expect(report.discrepancies.map((d) => [d.category, d.orderNo])).toEqual([
          ['amount_mismatch', g.outGrantNo],
          ['invariant', `campaign:${campaign}`],
        ]);
        expect(report.discrepancies[0]).toMatchObject({
          kind: 'grant',
          ours: g.amount + 7,
          theirs: g.amount,
        });
        expect(report.discrepancyCount).toBe(2);
      } finally {
        await h.sql('UPDATE subsidies SET amount = amount - 7 WHERE out_grant_no = ?', [g.outGrantNo]);
      }
    });

    it('finds a booked subsidy the issuer never issued as missing at the provider', async () => {
      const at = grants[0]!.issuedAt;
      await h.sql(
        `INSERT INTO subsidies (token_id, out_grant_no, uid, campaign, amount, expires_at, issued_at, token, status, packet_id, booked_at, updated_at)
         VALUES ('TOK-GHOST', 'G-GHOST', 'ghost', ?, 123, ?, ?, 'x', 'available', NULL, ?, ?)`,
        [campaign, at + 3_600_000, at, at, at],
      );
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.grants?.totals.missing_at_provider).toEqual({ count: 1, fen: 123 });
        expect(report.discrepancies[0]).toMatchObject({ orderNo: 'G-GHOST', ours: 123, theirs: null });
      } finally {
        await h.sql(`DELETE FROM subsidies WHERE out_grant_no = 'G-GHOST'`);
      }
    });

    it('finds a return missing on our side, and one the issuer never took back', async () => {
      await h.sql('DELETE FROM b2c_returns WHERE return_no = ?', [returnNo]);
      const at = grants[0]!.issuedAt;
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.totals.missing_ours).toEqual({ count: 1, fen: remainder });
        expect(report.discrepancies.map((d) => [d.category, d.orderNo])).toEqual([
          ['missing_ours', returnNo],
          ['invariant', expiredId],
        ]);
      } finally {
        await h.sql(
          `INSERT INTO b2c_returns (return_no, packet_id, campaign, amount, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'succeeded', ?, ?)`,
          [returnNo, expiredId, campaign, remainder, at + 2_000, at + 2_000],
        );
      }
      await h.sql(
        `INSERT INTO b2c_returns (return_no, packet_id, campaign, amount, status, created_at, updated_at)
         VALUES ('P-GHOST-R', 'P-GHOST', ?, 77, 'succeeded', ?, ?)`,
        [campaign, at, at],
      );
      try {
        const { code, report } = await recon();
        expect(code).toBe(1);
        expect(report.totals.missing_at_provider).toEqual({ count: 1, fen: 77 });
        expect(report.discrepancies).toEqual([
          expect.objectContaining({ category: 'missing_at_provider', orderNo: 'P-GHOST-R', kind: 'return' }),
        ]);
      } finally {
        await h.sql(`DELETE FROM b2c_returns WHERE return_no = 'P-GHOST-R'`);
      }
      expect((await recon()).code).toBe(0);
    });

    it("reports a shadow-marked order in the real lane's ledger under shadow, with its fen, and exits 0", async () => {
      const shadowNo = newOrderNo('WDR', Date.now(), true);
      await h.finance.transfer({
        transferNo: shadowNo,
        uid: 'shadow-user',
        amount: 55,
        notifyUrl: `${h.url}/nowhere`,
      });
      const { code, report } = await recon();
      expect(code).toBe(0);
      expect(report.totals.shadow).toEqual({ count: 1, fen: 55 });
      expect(report.discrepancyCount).toBe(0);
    });
  });
}
