/**
 * Issue 8: each packet's money summed, as keyset pages on (created_at, id), for the invariants.
 * C2C and B2C differ only in where the money came from (a paid payment order / the spent
 * subsidy), where the remainder went back (refund_orders / b2c_returns) and whether it can be
 * mocked; the claims part and the paging are the same.
 * Issue 22: every subquery filters on packet_id alone and sums by status inside (CASE): with the
 * status in the WHERE, SQLite picked the (status, created_at) index and scanned every paid order
 * of the store for each packet (quadratic: 12 s a page of 1,000 packets at 4,000 packets).
 */
import type { ReconPacketQuery, ReconPacketRow } from '../../domain/ports.js';
import { num, seekFrom, str, type SqlRunner, type SqlValue } from './sql-runner.js';

const MONEY = {
  c2c: {
    paid: `SELECT COALESCE(SUM(CASE WHEN o.status = 'paid' THEN o.amount ELSE 0 END), 0) FROM payment_orders o WHERE o.packet_id = p.id`,
    paidOrders: `SELECT COALESCE(SUM(CASE WHEN o.status = 'paid' THEN 1 ELSE 0 END), 0) FROM payment_orders o WHERE o.packet_id = p.id`,
    openPayments: `SELECT COALESCE(SUM(CASE WHEN o.status = 'pending' THEN 1 ELSE 0 END), 0) FROM payment_orders o WHERE o.packet_id = p.id`,
    mocked: `SELECT CASE WHEN o.provider_txn_id LIKE 'MOCK-%' THEN 1 ELSE 0 END FROM payment_orders o
             WHERE o.pay_order_no = p.pay_order_no`,
    returns: 'refund_orders',
  },
  b2c: {
    paid: `SELECT COALESCE(SUM(CASE WHEN s.status = 'used' THEN s.amount ELSE 0 END), 0) FROM subsidies s WHERE s.packet_id = p.id`,
    paidOrders: `SELECT COALESCE(SUM(CASE WHEN s.status = 'used' THEN 1 ELSE 0 END), 0) FROM subsidies s WHERE s.packet_id = p.id`,
    openPayments: `SELECT 0`,
    mocked: `SELECT 0`,
    returns: 'b2c_returns',
  },
} as const;

export async function listPacketTotals(db: SqlRunner, q: ReconPacketQuery): Promise<ReconPacketRow[]> {
  const type = q.type ?? 'c2c';
  const money = MONEY[type];
  const args: SqlValue[] = [type, seekFrom(q.fromMs, q.after?.createdAt), q.toMs];
  let where = `p.type = ? AND p.created_at >= ? AND p.created_at < ?`;
  if (q.after) {
    where += ` AND (p.created_at > ? OR (p.created_at = ? AND p.id > ?))`;
    args.push(q.after.createdAt, q.after.createdAt, q.after.packetId);
  }
  const rows = await db.all(
    `SELECT p.id AS id, p.status AS status, p.total_amount AS total_amount, p.created_at AS created_at,
       (${money.paid}) AS paid,
       (${money.paidOrders}) AS paid_orders,
       (${money.openPayments}) AS open_payments,
       (${money.mocked}) AS mocked,
       (SELECT COALESCE(SUM(CASE WHEN c.status = 'transferred' THEN c.amount ELSE 0 END), 0) FROM claims c WHERE c.packet_id = p.id) AS transferred,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id) AS claims,
       (SELECT COALESCE(SUM(CASE WHEN c.status = 'transferred' THEN 1 ELSE 0 END), 0) FROM claims c WHERE c.packet_id = p.id) AS transfers,
       (SELECT COALESCE(SUM(CASE WHEN c.status IN ('claimed', 'transferring') THEN 1 ELSE 0 END), 0) FROM claims c WHERE c.packet_id = p.id) AS open_claims,
       (SELECT COALESCE(SUM(CASE WHEN r.status = 'succeeded' THEN r.amount ELSE 0 END), 0) FROM ${money.returns} r WHERE r.packet_id = p.id) AS refunded,
       (SELECT COALESCE(SUM(CASE WHEN r.status <> 'succeeded' THEN 1 ELSE 0 END), 0) FROM ${money.returns} r WHERE r.packet_id = p.id) AS open_refunds
     FROM packets p WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${Math.floor(q.limit)}`,
    args,
  );
  return rows.map((r) => ({
    packetId: str(r.id),
    status: str(r.status),
    totalAmount: num(r.total_amount),
    paid: num(r.paid),
    paidOrders: num(r.paid_orders),
    transferred: num(r.transferred),
    refunded: num(r.refunded),
    claims: num(r.claims),
    transfers: num(r.transfers),
    openOrders: num(r.open_payments) + num(r.open_claims) + num(r.open_refunds),
    mocked: num(r.mocked) === 1,
    createdAt: num(r.created_at),
  }));
}
