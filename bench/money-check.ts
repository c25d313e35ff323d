/**
 * The money check of `npm run bench:claim`, after each variant, on that variant's database: every
 * packet's claims and what it has left add up to what it was sent with (fen and shares), no uid
 * claimed a packet twice, no share is zero or negative, and (HTTP variants) every claimer was
 * answered with exactly the claim the claims table holds for them (packet, uid and fen, one for one).
 * With `transfers` (HTTP variants, once the service's worker has settled): every claim is
 * `transferred`, and finance (`<db>_finance` on the same server) holds exactly one succeeded
 * transfer per claim, to the claimer, for the claim's fen, booked in its ledger as exactly that fen
 * debited from the merchant and credited to the claimer, no transfer that is not a claim's, and
 * every finance account's balance equal to the sum of its ledger entries. (The raw variant records
 * what it inserted, so there the answer check catches a claim recorded twice or not at all, not a
 * wrong amount.)
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
  /** Claims whose transfer finance holds as asked (with `transfers`). */
  transferred?: number;
  problems: string[];
}

/** The claims the claimers were answered with (200s only), recorded as they arrive. */
export interface Answered {
  claims: number;
  fen: number;
  /** fen by `answerKey(packetId, uid)`; a second answer for the same pair is a problem. */
  byClaim: Map<string, number>;
  /** Answers that named a (packet, uid) pair already answered. */
  repeated: number;
}

export const answerKey = (packetId: string, uid: string) => `${packetId} ${uid}`;

export const newAnswered = (): Answered => ({ claims: 0, fen: 0, byClaim: new Map(), repeated: 0 });

/** Records one 200 answer to a claim. */
export function recordAnswer(answered: Answered, packetId: string, uid: string, amount: unknown): void {
  const fen = typeof amount === 'number' ? amount : Number.NaN;
  answered.claims++;
  answered.fen += fen;
  const key = answerKey(packetId, uid);
  if (answered.byClaim.has(key)) answered.repeated++;
  answered.byClaim.set(key, fen);
}

export interface CheckOptions {
  answered?: Answered;
  /** Also check finance's transfers (the service's worker must have settled every claim). */
  transfers?: boolean;
}

export async function checkMoney(url: string, opts: CheckOptions = {}): Promise<MoneyCheck> {
  const { answered } = opts;
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
    if (answered) problems.push(...(await compareAnswers(conn, answered, claims, claimedFen)));
    const transferred = opts.transfers
      ? await checkTransfers(conn, financeDbOf(url), claims, problems)
      : undefined;
    return {
      ok: problems.length === 0,
      packets: Number(packets?.['n']),
      claims,
      claimedFen,
      ...(answered ? { answered: { claims: answered.claims, fen: answered.fen } } : {}),
      ...(transferred === undefined ? {} : { transferred }),
      problems,
    };
  } finally {
    await conn.end();
  }
}

/** Every answer is a recorded claim of that fen, and every recorded claim was answered once. */
async function compareAnswers(
  conn: mysql.Connection,
  answered: Answered,
  claims: number,
  claimedFen: number,
): Promise<string[]> {
  const problems: string[] = [];
  if (answered.claims !== claims || answered.fen !== claimedFen)
    problems.push(
      `answered ${answered.claims} claims / ${answered.fen} fen, recorded ${claims} claims / ${claimedFen} fen`,
    );
  if (answered.repeated > 0) problems.push(`${answered.repeated} (packet, uid) pairs answered twice`);
  const [rows] = await conn.query<RowDataPacket[]>('SELECT packet_id, uid, amount FROM claims');
  let differ = 0;
  let unanswered = 0;
  for (const r of rows) {
    const fen = answered.byClaim.get(answerKey(String(r['packet_id']), String(r['uid'])));
    if (fen === undefined) unanswered++;
    else if (fen !== Number(r['amount'])) differ++;
  }
  if (differ > 0) problems.push(`${differ} claims answered with another amount than recorded`);
  if (unanswered > 0) problems.push(`${unanswered} recorded claims never answered`);
  const strays = answered.byClaim.size - (rows.length - unanswered);
  if (strays > 0) problems.push(`${strays} answered claims not recorded`);
  return problems;
}

/** `<db>_finance` beside the packet database (src/runtime/storage-config.ts). */
function financeDbOf(url: string): string {
  return `${decodeURIComponent(new URL(url).pathname.slice(1))}_finance`;
}

/** Finance's side of every claim; returns how many claims it holds exactly as asked. */
async function checkTransfers(
  conn: mysql.Connection,
  financeDb: string,
  claims: number,
  problems: string[],
): Promise<number> {
  const fin = conn.escapeId(financeDb);
  const [[open]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM claims WHERE status <> 'transferred'`,
  );
  if (Number(open?.['n']) > 0) problems.push(`${open?.['n']} claims not transferred`);
  const [[matched]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM claims c JOIN ${fin}.orders o ON o.order_no = c.claim_no
      WHERE o.kind = 'transfer' AND o.status = 'succeeded' AND o.uid = c.uid AND o.amount = c.amount`,
  );
  const exact = Number(matched?.['n']);
  const missing = claims - exact;
  if (missing > 0)
    problems.push(`${missing} claims without a succeeded transfer of their fen to their claimer`);
  const [[extra]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${fin}.orders o LEFT JOIN claims c ON c.claim_no = o.order_no
      WHERE o.kind = 'transfer' AND c.claim_no IS NULL`,
  );
  if (Number(extra?.['n']) > 0) problems.push(`${extra?.['n']} transfers at finance that are no claim's`);
  const [[unbooked]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM (
       SELECT o.order_no FROM ${fin}.orders o LEFT JOIN ${fin}.ledger_entries l ON l.order_no = o.order_no
        WHERE o.kind = 'transfer' AND o.status = 'succeeded'
        GROUP BY o.order_no, o.amount
       HAVING COALESCE(SUM(CASE WHEN l.direction = 'credit' AND l.account = CONCAT('user:', o.uid)
                                THEN l.amount END), 0) <> o.amount
           OR COALESCE(SUM(CASE WHEN l.direction = 'debit' AND l.account = 'merchant'
                                THEN l.amount END), 0) <> -o.amount
           OR COALESCE(SUM(l.amount), 1) <> 0
           OR COUNT(l.id) <> 2) t`,
  );
  if (Number(unbooked?.['n']) > 0)
    problems.push(
      `${unbooked?.['n']} succeeded transfers not booked as their fen from the merchant to their claimer in finance's ledger`,
    );
  const [[offBooks]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${fin}.accounts a
       LEFT JOIN (SELECT account, SUM(amount) AS fen FROM ${fin}.ledger_entries GROUP BY account) l
         ON l.account = a.id
      WHERE a.balance <> COALESCE(l.fen, 0)`,
  );
  if (Number(offBooks?.['n']) > 0)
    problems.push(`${offBooks?.['n']} finance accounts whose balance is not the sum of their ledger`);
  return exact;
}
