/**
 * The claim transaction on MySQL/MariaDB, hand-written (issue 6): the hottest write of the
 * service, so it skips drizzle's query builder (statements rebuilt per call) and mysql2's promise
 * wrapper (a stack captured per query), and sends its statements in three round trips instead of
 * seven (multi-statement queries; every value goes through mysql2's escaping, never concatenated):
 *
 *   1. START TRANSACTION; SELECT … FOR UPDATE (the packet); SELECT the uids' claims (plain read)
 *   2. guarded UPDATE of the packet; multi-row INSERT of claims; multi-row INSERT of their tasks
 *   3. COMMIT (only after the UPDATE's guard held; otherwise ROLLBACK)
 *
 * The claims read stays a plain read after the lock, for the reason given at `claimsOf` in
 * ./mysql-rows.ts; the server runs a multi-statement query in order, so it still comes after the
 * lock was granted. Same commit/rollback/retry rules as ./transaction.ts.
 */
import type { Pool as CorePool, PoolConnection as CoreConnection } from 'mysql2';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Claim } from '../../domain/claim.js';
import type { Packet } from '../../domain/packet.js';
import { chunks, type ClaimTx } from '../shared/store-dialect.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './transaction.js';

const PACKET_COLUMNS = `id, type, sender_uid AS senderUid, out_order_no AS outOrderNo,
  total_amount AS totalAmount, total_count AS totalCount, remaining_amount AS remainingAmount,
  remaining_count AS remainingCount, split_mode AS splitMode, status, greeting,
  pay_order_no AS payOrderNo, expires_at AS expiresAt, created_at AS createdAt, updated_at AS updatedAt`;
const CLAIM_COLUMNS = `claim_no AS claimNo, packet_id AS packetId, uid, seq, amount, status,
  created_at AS createdAt, updated_at AS updatedAt`;

const LOCK_SQL = `START TRANSACTION;
SELECT ${PACKET_COLUMNS} FROM packets WHERE id = ? FOR UPDATE;
SELECT ${CLAIM_COLUMNS} FROM claims WHERE packet_id = ? AND uid IN (?)`;
const UPDATE_SQL = `UPDATE packets SET status = ?, remaining_amount = ?, remaining_count = ?, updated_at = ?
WHERE id = ? AND status = ? AND remaining_count = ?`;
const INSERT_CLAIMS_SQL = `INSERT INTO claims
(claim_no, packet_id, uid, seq, amount, status, created_at, updated_at) VALUES ?`;
const INSERT_TASKS_SQL = `INSERT INTO tasks
(kind, ref, status, due_at, attempts, last_error, lease_owner, lease_until, created_at, updated_at) VALUES ?`;

type Result = RowDataPacket[] | ResultSetHeader | Array<RowDataPacket[] | ResultSetHeader>;

function query(conn: CoreConnection, sql: string, values: unknown[] = []): Promise<Result> {
  return new Promise((resolve, reject) => {
    conn.query(sql, values, (err, result) => (err ? reject(err) : resolve(result as Result)));
  });
}

function connection(pool: CorePool): Promise<CoreConnection> {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn)));
  });
}

function claimTx(conn: CoreConnection): ClaimTx {
  return {
    async lockForClaims(packetId, uids) {
      const results = (await query(conn, LOCK_SQL, [packetId, packetId, uids])) as [
        ResultSetHeader,
        RowDataPacket[],
        RowDataPacket[],
      ];
      const packet = (results[1][0] as Packet | undefined) ?? null;
      return { packet, existing: packet ? (results[2] as Claim[]) : [] };
    },

    async applyClaims(packetId, guard, change, claims, tasks) {
      const statements = [UPDATE_SQL];
      const values: unknown[] = [
        change.status,
        change.remainingAmount,
        change.remainingCount,
        change.updatedAt,
        packetId,
        guard.status,
        guard.remainingCount,
      ];
      for (const part of chunks(claims)) {
        statements.push(INSERT_CLAIMS_SQL);
        values.push(
          part.map((c) => [
            c.claimNo,
            c.packetId,
            c.uid,
            c.seq,
            c.amount,
            c.status,
            c.createdAt,
            c.updatedAt,
          ]),
        );
      }
      for (const part of chunks(tasks)) {
        statements.push(INSERT_TASKS_SQL);
        values.push(part.map((t) => [t.kind, t.ref, 'pending', t.dueAt, 0, null, null, null, t.now, t.now]));
      }
      const result = await query(conn, statements.join(';\n'), values);
      const update = (statements.length === 1 ? result : (result as ResultSetHeader[])[0]) as ResultSetHeader;
      return update.affectedRows === 1;
    },
  };
}

async function once<T>(pool: CorePool, work: (tx: ClaimTx) => Promise<T>): Promise<T> {
  const conn = await connection(pool);
  let reusable = true;
  try {
    try {
      const result = await work(claimTx(conn));
      await query(conn, 'COMMIT');
      return result;
    } catch (e) {
      try {
        // also after a failed START TRANSACTION batch: ROLLBACK with no transaction is harmless
        await query(conn, 'ROLLBACK');
      } catch {
        reusable = false;
      }
      throw e;
    }
  } finally {
    if (reusable) conn.release();
    else conn.destroy();
  }
}

/** `StoreDialect.writeClaims` for MySQL; `pool` must allow multiple statements per query. */
export function writeMysqlClaims<T>(
  pool: CorePool,
  work: (tx: ClaimTx) => Promise<T>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  return withRetry(() => once(pool, work), retry);
}
