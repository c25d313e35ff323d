/**
 * The money check of `npm run bench:claim`, after each variant, on that variant's database: every
 * packet's claims and what it has left add up to what it was sent with (fen and shares), no uid
 * claimed a packet twice, no share is zero or negative, and (HTTP variants) the fen the claimers
 * were answered with is exactly the fen the claims table holds.
 */
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

export interface MoneyCheck {
  ok: boolean;
  packets: number;
  claims: number;
  claimedFen: number;
  /** What the 200 answers said, when the claimers counted (HTTP variants). */
  answered?: { claims: number; fen: number };
  problems: string[];
}

/** Fen and claims the claimers were answered with (200s only), summed as they arrive. */
export interface Answered {
  claims: number;
  fen: number;
}

export async function checkMoney(url: string, answered?: Answered): Promise<MoneyCheck> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    const problems: string[] = [];
    const [unbalanced] = await conn.query<RowDataPacket[]>(
      `SELECT p.id, p.total_amount, p.total_count, p.remaining_amount, p.remaining_count,
              COALESCE(SUM(c.amount), 0) AS fen, COUNT(c.claim_no) AS n
         FROM packets p LEFT JOIN claims c ON c.packet_id = p.id
        GROUP BY p.id, p.total_amount, p.total_count, p.remaining_amount, p.remaining_count
       HAVING fen + p.remaining_amount <> p.total_amount OR n + p.remaining_count <> p.total_count`,
    );
    for (const r of unbalanced.slice(0, 5))
      problems.push(
        `packet ${r['id']}: claimed ${r['fen']} fen in ${r['n']} claims + ${r['remaining_amount']} left <> ${r['total_amount']} sent in ${r['total_count']} shares`,
      );
    const [[twice]] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM (SELECT packet_id, uid FROM claims GROUP BY packet_id, uid HAVING COUNT(*) > 1) t`,
    );
    if (Number(twice?.['n']) > 0) problems.push(`${twice?.['n']} (packet, uid) pairs claimed twice`);
    const [[totals]] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS claims, COALESCE(SUM(amount), 0) AS fen, COALESCE(SUM(amount <= 0), 0) AS bad FROM claims`,
    );
    const [[packets]] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM packets');
    const claims = Number(totals?.['claims']);
    const claimedFen = Number(totals?.['fen']);
    if (Number(totals?.['bad']) > 0) problems.push(`${totals?.['bad']} claims of zero or less`);
    if (answered && (answered.claims !== claims || answered.fen !== claimedFen))
      problems.push(
        `answered ${answered.claims} claims / ${answered.fen} fen, recorded ${claims} claims / ${claimedFen} fen`,
      );
    return {
      ok: problems.length === 0,
      packets: Number(packets?.['n']),
      claims,
      claimedFen,
      ...(answered ? { answered: { ...answered } } : {}),
      problems,
    };
  } finally {
    await conn.end();
  }
}
