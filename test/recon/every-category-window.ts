/**
 * Issue 22: a recon export (`recon export --type all`) of one window with every category of the
 * recon SQL in it, for the Spark comparison (test/spark/) and its DuckDB-only check here. Real
 * flows through the all-in-one service where they can make a category (C2C: paid, claimed,
 * transferred, the remainder refunded, unpaid packets closed; B2C: grants drawn and booked, spent,
 * credited, withdrawn, a remainder returned; a provider transfer of a number we never had, one of
 * a shadow-marked number; a grant drawn while booking is held), rows planted with SQL where they
 * cannot (the faults, and what only another window or a mock makes). The service's worker and
 * sweeper are stopped before the plants, so nothing heals them before the export.
 *
 *   orders:  matched (payment, transfer, refund, return), closed, in_transit, mocked, shadow (ours
 *            and the provider's), missing_at_provider, missing_ours, amount_mismatch,
 *            status_mismatch (money moved; and no movement, the provider's own answer),
 *            duplicate, one movement out of scope (an order of the day before);
 *   grants:  booked, in_transit, outstanding, shadow, amount_mismatch, record_mismatch (by uid, and
 *            by issue time through the look-ups), missing_at_provider; a campaign out of balance;
 *   packets: C2C packets whose invariants break, and a B2C one (a credited claim's amount changed:
 *            B2C claims are credits, not provider orders, so only the packet's sums show it).
 */
import { join } from 'node:path';
import { reconExportCommand } from '../../src/commands/recon-export.js';
import { newOrderNo, SHADOW_MARK } from '../../src/domain/ids.js';
import { booksOf, isSettled } from '../worker/support/settled.js';
import { orderNo, startHarness, waitFor, type Harness } from '../worker/support/settlement-harness.js';
import { drawGrant, openRainCampaign, sendB2c, shanghaiDate, type Grant } from './rain-flows.js';

/** The export's cut-off: short, so a grant drawn a few seconds earlier is already outstanding. */
export const CUTOFF = '5s';
const CUTOFF_MS = 5_000;

export interface EveryCategoryWindow {
  h: Harness;
  /** The export's directory. */
  dir: string;
  date: string;
  /** The run's clock for the SQL: the held grant is still in transit, the planted one outstanding. */
  now: number;
  campaign: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Generous: the flows run on two cores shared with other work. */
const WAIT_MS = 60_000;

async function b2cFlows(h: Harness, campaign: string) {
  const draw = (uid: string) => drawGrant(h, campaign, uid);
  const send = async (uid: string, g: Grant, body: Record<string, unknown>) =>
    (await sendB2c(h, uid, g, body)).packetId;
  const grants: Grant[] = [];
  for (const uid of ['s1', 's2', 'k1', 'k2', 'k3']) grants.push(await draw(uid));
  for (const g of grants)
    await waitFor(
      'the grant booked',
      async () => (await h.service.store.getSubsidy(g.tokenId)) !== null,
      WAIT_MS,
    );
  const exhausted = await send('s1', grants[0]!, { totalCount: 2, splitMode: 'fixed' });
  for (const uid of ['c1', 'c2']) await h.call('POST', `/v1/packets/${exhausted}/claims`, uid);
  const expiring = await send('s2', grants[1]!, { totalCount: 3, splitMode: 'fixed', expiresInSec: 1 });
  await h.call('POST', `/v1/packets/${expiring}/claims`, 'c3');
  await waitFor(
    'the B2C remainder returned',
    async () => (await h.service.store.getPacket(expiring))?.status === 'refunded',
    WAIT_MS,
  );
  await waitFor(
    'every B2C claim credited',
    async () => {
      const claims = [
        ...(await h.service.store.listClaims(exhausted)),
        ...(await h.service.store.listClaims(expiring)),
      ];
      return claims.length === 3 && claims.every((c) => c.status === 'transferred');
    },
    WAIT_MS,
  );
  const [first, second] = await h.service.store.listClaims(exhausted);
  const w = await h.call('POST', '/v1/me/withdrawals', first!.uid, {
    outOrderNo: orderNo('w'),
    amount: first!.amount,
  });
  if (w.status !== 201 || w.body.status !== 'succeeded')
    throw new Error(`withdrawal: ${JSON.stringify(w.body)}`);
  return { grants, draw, credited: second! };
}

async function c2cFlows(h: Harness) {
  const refunded = await h.createPacket('s1', { totalAmount: 300, totalCount: 3, expiresInSec: 3 });
  const exhausted = await h.createPacket('s2', { totalAmount: 200, totalCount: 2, expiresInSec: 600 });
  const closed = await h.createPacket('s3', { totalAmount: 100, totalCount: 1, expiresInSec: 2 }, false);
  const answered = await h.createPacket('s4', { totalAmount: 150, totalCount: 1, expiresInSec: 2 }, false);
  for (const p of [refunded, exhausted])
    await waitFor(
      'active',
      async () => (await h.service.store.getPacket(p.id))?.status === 'active',
      WAIT_MS,
    );
  for (const uid of ['a', 'b']) {
    await h.call('POST', `/v1/packets/${refunded.id}/claims`, uid);
    await h.call('POST', `/v1/packets/${exhausted.id}/claims`, uid);
  }
  const ids = [refunded.id, exhausted.id, closed.id, answered.id];
  await waitFor(
    'every C2C order settled',
    async () => {
      const books = await Promise.all(ids.map((id) => booksOf(h.service.store, id)));
      return books.every(isSettled) ? books : undefined;
    },
    WAIT_MS,
  );
  return { refunded, exhausted, answered };
}

/** Builds the window in a fresh service and exports it to `<work>/export`. */
export async function buildEveryCategoryExport(work: string): Promise<EveryCategoryWindow> {
  // a paid packet must be paid before its payment times out, on a machine busy with other work
  // (the harness's 1.5 s is short for that): the unpaid ones close a little later instead
  const h = await startHarness('sqlite', { timings: { paymentTimeoutMs: 10_000 } });
  try {
    const campaign = await openRainCampaign(h);
    const c2c = await c2cFlows(h);
    const t0 = (await h.service.store.getPacket(c2c.refunded.id))!.createdAt;
    const date = shanghaiDate(t0);
    const b2c = await b2cFlows(h, campaign);
    // the provider moves money for a number we never had, and for a shadow-marked one
    const notifyUrl = `${h.url}/nowhere`;
    await h.finance.transfer({
      transferNo: newOrderNo('WDR', Date.now()),
      uid: 'stray',
      amount: 61,
      notifyUrl,
    });
    await h.finance.transfer({
      transferNo: newOrderNo('WDR', Date.now(), true),
      uid: 'shadow-user',
      amount: 55,
      notifyUrl,
    });

    // from here on nothing heals a plant: no worker, no sweeper, no booking
    await h.service.background.stop();
    h.service.subsidy.booking.setRate(0);
    await sleep(300); // a receive in flight returns
    while (Date.now() < t0 + CUTOFF_MS + 1_000) await sleep(100);
    const held = await b2c.draw('never-opened'); // issued, not booked: in transit at `now`
    const now = held.issuedAt + 1_000;

    const [aClaim] = await h.service.store.listClaims(c2c.refunded.id);
    const [bClaim, bOther] = await h.service.store.listClaims(c2c.exhausted.id);
    const payment = `INSERT INTO payment_orders (pay_order_no, packet_id, payer_uid, amount, status, provider_txn_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
    const shadowPay = newOrderNo('PAY', t0, true);
    for (const [no, amount, status, txn, at] of [
      ['PAY-GHOST', 1234, 'paid', 'TXN-GHOST', t0], // missing at the provider
      ['PAY-MOCKED', 222, 'paid', 'MOCK-1', t0 + 1], // answered by `redpkt mock payment`
      [shadowPay, 333, 'paid', 'TXN-SHADOW', t0 + 2], // a shadow-marked order in the real lane's store
      ['PAY-OPEN', 444, 'pending', 'TXN-OPEN', t0 + 3], // not final: in transit
      ['PAY-OLD', 300, 'paid', 'TXN-OLD', t0 - 86_400_000], // the day before: its movement is out of scope
    ] as const)
      await h.sql(payment, [no, `P-${no}`, 'planted', amount, status, txn, at, at]);
    await h.sql('UPDATE claims SET amount = amount + 1 WHERE claim_no = ?', [aClaim!.claimNo]);
    await h.sql(`UPDATE claims SET status = 'failed' WHERE claim_no = ?`, [bClaim!.claimNo]);
    // closed at the provider, paid on our side: no movement, the provider's own answer disagrees
    await h.sql(`UPDATE payment_orders SET status = 'paid' WHERE pay_order_no = ?`, [
      c2c.answered.payOrderNo,
    ]);
    await h.sql('UPDATE claims SET amount = amount + 2 WHERE claim_no = ?', [b2c.credited.claimNo]);

    // the provider: a second movement of one transfer, and a movement of the day-before order
    const copyMoves = `INSERT INTO ledger_entries (txn_id, order_no, kind, account, direction, amount, created_at)
      SELECT ?, ?, kind, account, direction, amount, ? FROM ledger_entries WHERE order_no = ?`;
    await h.financeSql(copyMoves, ['TXN-DUP', bOther!.claimNo, t0 + 5, bOther!.claimNo]);
    await h.financeSql(copyMoves, ['TXN-OLD', 'PAY-OLD', t0 + 6, c2c.refunded.payOrderNo]);

    // grants: booked differently (amount; uid; issue time), booked never issued, issued never booked
    const [, , k1, k2, k3] = b2c.grants;
    await h.sql('UPDATE subsidies SET amount = amount + 7 WHERE out_grant_no = ?', [k1!.outGrantNo]);
    await h.sql(`UPDATE subsidies SET uid = 'someone-else' WHERE out_grant_no = ?`, [k2!.outGrantNo]);
    await h.sql('UPDATE subsidies SET issued_at = issued_at + 1 WHERE out_grant_no = ?', [k3!.outGrantNo]);
    await h.sql(
      `INSERT INTO subsidies (token_id, out_grant_no, uid, campaign, amount, expires_at, issued_at, token, status, packet_id, booked_at, updated_at)
       VALUES ('TOK-GHOST', 'G-GHOST', 'ghost', ?, 123, ?, ?, 'x', 'available', NULL, ?, ?)`,
      [campaign, t0 + 3_600_000, t0, t0, t0],
    );
    const grant = `INSERT INTO rain_grants (token_id, out_grant_no, uid, campaign, amount, expires_at, issued_at, token, txn_id, published)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'x', ?, 1)`;
    await h.financeSql(grant, [
      'TOK-OUT',
      'G-OUTSTANDING',
      'quiet',
      campaign,
      321,
      t0 + 3_600_000,
      t0,
      'TXN-G1',
    ]);
    await h.financeSql(grant, [
      'TOK-SH',
      `${SHADOW_MARK}G-SHADOW`,
      'sh',
      campaign,
      111,
      t0 + 3_600_000,
      t0,
      'TXN-G2',
    ]);

    const dir = join(work, 'export');
    const code = await reconExportCommand(
      { date, type: 'all', cutoff: CUTOFF, dataDir: h.config.dataDir, mysql: [], out: dir, json: true },
      { write: () => {}, now: () => now },
    );
    if (code !== 0) throw new Error(`recon export exited ${code}`);
    return { h, dir, date, now, campaign };
  } catch (err) {
    await h.stop();
    throw err;
  }
}
