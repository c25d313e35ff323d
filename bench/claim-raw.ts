/**
 * The raw ceiling for `bench:claim`: the bare claim transaction with mysql2, no HTTP, no service
 * code — SELECT … FOR UPDATE, UPDATE packet, INSERT claim, INSERT its transfer task, COMMIT —
 * the same rows our claim path writes.
 */
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { claimNoFor } from '../src/domain/claim.js';
import { nextShare } from '../src/domain/split.js';
import type { Attempt, ClaimJob, RunResult } from './claim-load.js';
import { runJobs } from './claim-load.js';
import { recordAnswer, type Answered } from './money-check.js';

/** null when claimed (its share recorded in `answered`), else the error's code. */
async function claimOnce(conn: PoolConnection, job: ClaimJob, answered?: Answered): Promise<string | null> {
  const now = Date.now();
  await conn.query('BEGIN');
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT remaining_amount, remaining_count, total_count, split_mode FROM packets WHERE id = ? FOR UPDATE',
      [job.packetId],
    );
    const p = rows[0];
    if (!p || p.remaining_count === 0) {
      await conn.query('ROLLBACK');
      return 'PACKET_EXHAUSTED';
    }
    const share = nextShare(p.split_mode, p.remaining_amount, p.remaining_count);
    const seq = p.total_count - p.remaining_count + 1;
    const claimNo = claimNoFor(job.packetId, seq);
    await conn.query(
      `UPDATE packets SET remaining_amount = remaining_amount - ?, remaining_count = remaining_count - 1,
       status = IF(remaining_count = 0, 'exhausted', status), updated_at = ? WHERE id = ?`,
      [share, now, job.packetId],
    );
    await conn.query(
      `INSERT INTO claims (claim_no, packet_id, uid, seq, amount, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)`,
      [claimNo, job.packetId, job.uid, seq, share, now, now],
    );
    await conn.query(
      `INSERT INTO tasks (kind, ref, status, due_at, attempts, created_at, updated_at)
       VALUES ('transfer', ?, 'pending', ?, 0, ?, ?)`,
      [claimNo, now, now, now],
    );
    await conn.query('COMMIT');
    if (answered) recordAnswer(answered, job.packetId, job.uid, share);
    return null;
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    const errno = (e as { errno?: number }).errno;
    if (errno === 1205) return 'LOCK_WAIT_TIMEOUT';
    if (errno === 1213) return 'DEADLOCK';
    if (errno === 1062) return 'ALREADY_CLAIMED';
    throw e;
  }
}

/**
 * Runs the jobs with `concurrency` connections, each looping over the shared job list; every
 * committed claim is recorded in `answered` (the money check compares it with the database).
 */
export async function runRaw(
  pool: Pool,
  jobs: ClaimJob[],
  concurrency: number,
  answered?: Answered,
): Promise<RunResult> {
  const conns = await Promise.all(Array.from({ length: concurrency }, () => pool.getConnection()));
  let next = 0;
  try {
    return await runJobs(
      jobs,
      concurrency,
      async (job, worker): Promise<Attempt> => ({
        code: await claimOnce(conns[worker]!, job, answered),
        retries: 0,
      }),
      () => next++,
    );
  } finally {
    for (const c of conns) c.release();
  }
}
