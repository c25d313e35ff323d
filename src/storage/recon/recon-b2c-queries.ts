/**
 * Issue 8: the B2C reads of the ReconStore, over the same plain SQL runner (recon-store.ts):
 * booked subsidies as keyset pages in the issuer's (issued_at, out_grant_no) order, one by grant
 * number, and each B2C packet's money summed (spent subsidy, credited claims, returned remainder).
 */
import type {
  ReconPacketQuery,
  ReconPacketRow,
  ReconSubsidyQuery,
  ReconSubsidyRow,
} from '../../domain/ports.js';
import type { SqlRow, SqlRunner, SqlValue } from './recon-store.js';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => String(v);

const SUBSIDY_COLUMNS = `out_grant_no, token_id, uid, campaign, amount, status, issued_at`;

function subsidyRow(r: SqlRow): ReconSubsidyRow {
  return {
    outGrantNo: str(r.out_grant_no),
    tokenId: str(r.token_id),
    uid: str(r.uid),
    campaign: str(r.campaign),
    amount: num(r.amount),
    status: str(r.status),
    issuedAt: num(r.issued_at),
  };
}

export async function listSubsidies(db: SqlRunner, q: ReconSubsidyQuery): Promise<ReconSubsidyRow[]> {
  const args: SqlValue[] = [q.fromMs, q.toMs];
  let where = `issued_at >= ? AND issued_at < ?`;
  if (q.after) {
    where += ` AND (issued_at > ? OR (issued_at = ? AND out_grant_no > ?))`;
    args.push(q.after.issuedAt, q.after.issuedAt, q.after.outGrantNo);
  }
  const rows = await db.all(
    `SELECT ${SUBSIDY_COLUMNS} FROM subsidies WHERE ${where}
     ORDER BY issued_at, out_grant_no LIMIT ${Math.floor(q.limit)}`,
    args,
  );
  return rows.map(subsidyRow);
}

export async function findSubsidy(db: SqlRunner, outGrantNo: string): Promise<ReconSubsidyRow | null> {
  const [row] = await db.all(`SELECT ${SUBSIDY_COLUMNS} FROM subsidies WHERE out_grant_no = ?`, [outGrantNo]);
  return row ? subsidyRow(row) : null;
}

/** B2C packets in (created_at, id) pages; the same shape as a C2C packet's totals. */
export async function listB2cPacketTotals(db: SqlRunner, q: ReconPacketQuery): Promise<ReconPacketRow[]> {
  const args: SqlValue[] = [q.fromMs, q.toMs];
  let where = `p.type = 'b2c' AND p.created_at >= ? AND p.created_at < ?`;
  if (q.after) {
    where += ` AND (p.created_at > ? OR (p.created_at = ? AND p.id > ?))`;
    args.push(q.after.createdAt, q.after.createdAt, q.after.packetId);
  }
  const rows = await db.all(
    `SELECT p.id AS id, p.status AS status, p.total_amount AS total_amount, p.created_at AS created_at,
       (SELECT COALESCE(SUM(s.amount), 0) FROM subsidies s WHERE s.packet_id = p.id AND s.status = 'used') AS paid,
       (SELECT COALESCE(SUM(c.amount), 0) FROM claims c WHERE c.packet_id = p.id AND c.status = 'transferred') AS transferred,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id) AS claims,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id AND c.status = 'transferred') AS transfers,
       (SELECT COUNT(*) FROM claims c WHERE c.packet_id = p.id AND c.status IN ('claimed', 'transferring')) AS open_claims,
       (SELECT COALESCE(SUM(r.amount), 0) FROM b2c_returns r WHERE r.packet_id = p.id AND r.status = 'succeeded') AS refunded,
       (SELECT COUNT(*) FROM b2c_returns r WHERE r.packet_id = p.id AND r.status <> 'succeeded') AS open_returns
     FROM packets p WHERE ${where} ORDER BY p.created_at, p.id LIMIT ${Math.floor(q.limit)}`,
    args,
  );
  return rows.map((r) => ({
    packetId: str(r.id),
    status: str(r.status),
    totalAmount: num(r.total_amount),
    paid: num(r.paid),
    transferred: num(r.transferred),
    refunded: num(r.refunded),
    claims: num(r.claims),
    transfers: num(r.transfers),
    openOrders: num(r.open_claims) + num(r.open_returns),
    mocked: false,
    createdAt: num(r.created_at),
  }));
}
