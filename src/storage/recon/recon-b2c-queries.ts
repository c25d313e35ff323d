/**
 * Issue 8: the B2C reads of the ReconStore, over the same plain SQL runner (recon-store.ts):
 * booked subsidies as keyset pages in the issuer's (issued_at, out_grant_no) order, one by grant
 * number (each B2C packet's money is summed by packet-totals.ts, beside the C2C one).
 */
import type { ReconSubsidyQuery, ReconSubsidyRow } from '../../domain/ports.js';
import { num, seekFrom, str, type SqlRow, type SqlRunner, type SqlValue } from './sql-runner.js';

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
  const args: SqlValue[] = [seekFrom(q.fromMs, q.after?.issuedAt), q.toMs];
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
