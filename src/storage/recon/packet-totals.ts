/**
 * Issue 8: each packet's money summed, as keyset pages on (created_at, id), for the invariants.
 * C2C and B2C differ only in where the money came from (a paid payment order / the spent
 * subsidy), where the remainder went back (refund_orders / b2c_returns) and whether it can be
 * mocked; the claims part and the paging are the same.
 */
import type { ReconPacketQuery, ReconPacketRow } from '../../domain/ports.js';
import { num, str, type SqlRunner, type SqlValue } from './sql-runner.js';

const MONEY = {
  c2c: {
    paid: `SELECT COALESCE(SUM(o.amount), 0) FROM payment_orders o WHERE o.packet_id = p.id AND o.status = 'paid'`,
    paidOrders: `SELECT COUNT(*) FROM payment_orders o WHERE o.packet_id = p.id AND o.status = 'paid'`,
    openPayments: `SELECT COUNT(*) FROM payment_orders o WHERE o.packet_id = p.id AND o.status = 'pending'`,
    mocked: `SELECT CASE WHEN o.provider_txn_id LIKE 'MOCK-%' THEN 1 ELSE 0 END FROM payment_orders o
             WHERE o.pay_order_no = p.pay_order_no`,
    returns: 'refund_orders',
  },
  b2c: {
    paid: `SELECT COALESCE(SUM(s.amount), 0) FROM subsidies s WHERE s.packet_id = p.id AND s.status = 'used'`,
    paidOrders: `SELECT COUNT(*) FROM subsidies s WHERE s.packet_id = p.id AND s.status = 'used'`,
    openPayments: `SELECT 0`,
    mocked: `SELECT 0`,
    returns: 'b2c_returns',
  },
} as const;

export async function listPacketTotals(db: SqlRunner, q: ReconPacketQuery): Promise<ReconPacketRow[]> {
  const type = q.type ?? 'c2c';
  const money = MONEY[type];
  const args: SqlValue[] = [type, q.fromMs, q.toMs];
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
       (SELECT COALESCE(SUM(c.amount), 0) FROM claims c WHERE c.packet_id = p.id AND c.status = 'transferred') AS transferred,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id) AS claims,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id AND c.status = 'transferred') AS transfers,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id AND c.status IN ('claimed', 'transferring')) AS open_claims,
       (SELECT COALESCE(SUM(r.amount), 0) FROM ${money.returns} r WHERE r.packet_id = p.id AND r.status = 'succeeded') AS refunded,
       (SELECT COUNT(*) FROM ${money.returns} r WHERE r.packet_id = p.id AND r.status <> 'succeeded') AS open_refunds
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
