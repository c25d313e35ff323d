/**
 * Issue 8: the ReconStore port once, over plain SQL that SQLite and MySQL/MariaDB both accept
 * (`?` placeholders, REPLACE INTO). Every read is a keyset page on a (created_at, key) index, so
 * a window of any size is walked in bounded memory; nothing here takes a lock or writes an order.
 */
import type {
  ReconB2cTotals,
  ReconOrderQuery,
  ReconOrderRow,
  ReconPacketQuery,
  ReconPacketRow,
  ReconStore,
  StoredReconReport,
} from '../../domain/ports.js';
import { listPacketTotals } from './packet-totals.js';
import { findSubsidy, listSubsidies } from './recon-b2c-queries.js';
import { num, seekFrom, str, type SqlRunner, type SqlValue } from './sql-runner.js';

export type { SqlRow, SqlRunner, SqlValue } from './sql-runner.js';

const MOCKED = (col: string) => `EXISTS (SELECT 1 FROM ops_mocked_orders m WHERE m.order_no = ${col})`;

/** One SELECT per kind; every one yields order_no, packet_id, uid, amount, status, mocked, created_at. */
// c2c:transfer's packet type is a scalar subquery, so claims stay the outer loop in both engines: a
// JOIN (SQLite, and MariaDB even as CROSS JOIN, EXISTS or IN) drove from packets' type index and
// sorted the window's every claim for each page (MariaDB, 50,000 packets: 1.2 s a page against 0.02).
const ORDER_SELECT: Record<string, { sql: string; key: string; at: string; where?: string }> = {
  'c2c:payment': {
    sql: `SELECT o.pay_order_no AS order_no, o.packet_id AS packet_id, o.payer_uid AS uid, o.amount AS amount, o.status AS status,
            CASE WHEN o.provider_txn_id LIKE 'MOCK-%' OR ${MOCKED('o.pay_order_no')} THEN 1 ELSE 0 END AS mocked,
            o.created_at AS created_at
          FROM payment_orders o`,
    key: 'o.pay_order_no',
    at: 'o.created_at',
  },
  'c2c:transfer': {
    sql: `SELECT o.claim_no AS order_no, o.packet_id AS packet_id, o.uid AS uid, o.amount AS amount, o.status AS status,
            CASE WHEN ${MOCKED('o.claim_no')} THEN 1 ELSE 0 END AS mocked, o.created_at AS created_at
          FROM claims o`,
    key: 'o.claim_no',
    at: 'o.created_at',
    where: `(SELECT p.type FROM packets p WHERE p.id = o.packet_id) = 'c2c'`,
  },
  'c2c:refund': {
    sql: `SELECT o.refund_no AS order_no, o.packet_id AS packet_id, o.uid AS uid, o.amount AS amount, o.status AS status,
            CASE WHEN ${MOCKED('o.refund_no')} THEN 1 ELSE 0 END AS mocked, o.created_at AS created_at
          FROM refund_orders o`,
    key: 'o.refund_no',
    at: 'o.created_at',
  },
  'b2c:transfer': {
    sql: `SELECT o.withdrawal_no AS order_no, NULL AS packet_id, o.uid AS uid, o.amount AS amount, o.status AS status,
            CASE WHEN o.provider_txn_id LIKE 'MOCK-%' THEN 1 ELSE 0 END AS mocked, o.created_at AS created_at
          FROM withdrawals o`,
    key: 'o.withdrawal_no',
    at: 'o.created_at',
  },
  // issue 8: an expired B2C packet's remainder, given back to the reward issuer
  'b2c:return': {
    sql: `SELECT o.return_no AS order_no, o.packet_id AS packet_id, NULL AS uid, o.amount AS amount, o.status AS status,
            0 AS mocked, o.created_at AS created_at
          FROM b2c_returns o`,
    key: 'o.return_no',
    at: 'o.created_at',
  },
};

export function createReconStore(db: SqlRunner): ReconStore {
  return {
    async listOrders(q: ReconOrderQuery): Promise<ReconOrderRow[]> {
      const select = ORDER_SELECT[`${q.scope}:${q.kind}`];
      if (!select) return [];
      // a page after the first seeks from its cursor: the OR below cannot bound the index range, and
      // a lower bound left at the window's start made every page scan the window from there (at
      // 10,000,000 orders a page near the end read ~8,000,000 index entries: quadratic)
      const args: SqlValue[] = [seekFrom(q.fromMs, q.after?.createdAt), q.toMs];
      let where = `${select.where ? `${select.where} AND ` : ''}${select.at} >= ? AND ${select.at} < ?`;
      if (q.after) {
        where += ` AND (${select.at} > ? OR (${select.at} = ? AND ${select.key} > ?))`;
        args.push(q.after.createdAt, q.after.createdAt, q.after.orderNo);
      }
      const rows = await db.all(
        `${select.sql} WHERE ${where} ORDER BY ${select.at}, ${select.key} LIMIT ${Math.floor(q.limit)}`,
        args,
      );
      return rows.map((r) => ({
        orderNo: str(r.order_no),
        kind: q.kind,
        packetId: r.packet_id === null || r.packet_id === undefined ? null : str(r.packet_id),
        uid: r.uid === null || r.uid === undefined ? null : str(r.uid),
        amount: num(r.amount),
        status: str(r.status),
        mocked: num(r.mocked) === 1,
        createdAt: num(r.created_at),
      }));
    },

    async findOrder(orderNo) {
      const rows = await db.all(
        `SELECT 'payment' AS kind, created_at FROM payment_orders WHERE pay_order_no = ?
         UNION ALL SELECT 'transfer', created_at FROM claims WHERE claim_no = ?
         UNION ALL SELECT 'refund', created_at FROM refund_orders WHERE refund_no = ?
         UNION ALL SELECT 'transfer', created_at FROM withdrawals WHERE withdrawal_no = ?
         UNION ALL SELECT 'return', created_at FROM b2c_returns WHERE return_no = ?`,
        [orderNo, orderNo, orderNo, orderNo, orderNo],
      );
      const r = rows[0];
      return r ? { kind: str(r.kind) as ReconOrderRow['kind'], createdAt: num(r.created_at) } : null;
    },

    listPacketTotals: (q: ReconPacketQuery): Promise<ReconPacketRow[]> => listPacketTotals(db, q),

    async b2cTotals(fromMs, toMs): Promise<ReconB2cTotals> {
      const [packets] = await db.all(
        `SELECT COUNT(*) AS n, COALESCE(SUM(total_amount), 0) AS fen FROM packets
         WHERE type = 'b2c' AND created_at >= ? AND created_at < ?`,
        [fromMs, toMs],
      );
      const [used] = await db.all(
        `SELECT COUNT(*) AS n, COALESCE(SUM(s.amount), 0) AS fen FROM subsidies s
         JOIN packets p ON p.id = s.packet_id
         WHERE s.status = 'used' AND p.created_at >= ? AND p.created_at < ?`,
        [fromMs, toMs],
      );
      const [booked] = await db.all(
        `SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS fen FROM subsidies WHERE issued_at >= ? AND issued_at < ?`,
        [fromMs, toMs],
      );
      return {
        packets: num(packets?.n),
        packetAmount: num(packets?.fen),
        usedSubsidies: num(used?.n),
        usedAmount: num(used?.fen),
        booked: num(booked?.n),
        bookedAmount: num(booked?.fen),
      };
    },

    listSubsidies: (q) => listSubsidies(db, q),
    findSubsidy: (no) => findSubsidy(db, no),

    async saveReport(r: StoredReconReport) {
      await db.run(
        `REPLACE INTO recon_reports (window_key, type, lane, from_ms, to_ms, clean, discrepancies, report, ran_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [r.windowKey, r.type, r.lane, r.fromMs, r.toMs, r.clean ? 1 : 0, r.discrepancies, r.report, r.ranAt],
      );
    },

    async listReports(limit) {
      const rows = await db.all(
        `SELECT window_key, type, lane, from_ms, to_ms, clean, discrepancies, report, ran_at FROM recon_reports
         ORDER BY ran_at DESC, window_key DESC, lane LIMIT ${Math.floor(limit)}`,
        [],
      );
      return rows.map((r) => ({
        windowKey: str(r.window_key),
        type: str(r.type) as StoredReconReport['type'],
        lane: str(r.lane) === 'shadow' ? 'shadow' : 'real',
        fromMs: num(r.from_ms),
        toMs: num(r.to_ms),
        clean: num(r.clean) === 1,
        discrepancies: num(r.discrepancies),
        report: str(r.report),
        ranAt: num(r.ran_at),
      }));
    },

    close: () => db.close(),
  };
}
