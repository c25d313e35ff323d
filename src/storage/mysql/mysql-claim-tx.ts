/**
 * The claim transaction on MySQL/MariaDB, hand-written (issue 6): the hottest write of the
 * service, so it skips drizzle's query builder (statements rebuilt per call) and mysql2's promise
 * wrapper (a stack captured per query), and sends its statements in three round trips instead of
 * seven (multi-statement queries; every value goes through mysql2's escaping, never concatenated).
 * One transaction serves a group of packets (issue 6, cross-packet group commit):
 *
 *   1. SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION;
 *      SELECT … WHERE id IN (…) ORDER BY id FOR UPDATE (the packets, locked in id order, so two
 *      groups wanting the same packets queue instead of deadlocking);
 *      SELECT the asked (packet, uid) pairs' claims (plain read)
 *      (IN lists of at most IN_LIST_MAX_VALUES values, more statements for a larger group)
 *   2. the guarded packet UPDATE (one statement, its changes read by JSON_TABLE, ./packet-updates.ts); multi-row
 *      INSERT of claims; multi-row INSERT of their tasks
 *   3. COMMIT (only after every UPDATE's guard held; otherwise ROLLBACK)
 *
 * The claims read stays a plain read after the locks, for the reason given at `claimsOf` in
 * ./mysql-rows.ts; the server runs a multi-statement query in order, so it still comes after the
 * locks were granted. Same commit/rollback/retry rules as ./transaction.ts: a deadlock or lock
 * wait timeout retries the whole group from step 1 (the decision is made again on what is read).
 *
 * READ COMMITTED, not the server's default REPEATABLE READ: anyone may ask to claim any packet id,
 * and under REPEATABLE READ a locking read of an id that does not exist locks the GAP where it
 * would be. Packet ids start with their creation time, so a missing id that sorts after every
 * real one (`P00ZZZZ…`) locks the gap up to the end of the index, and every packet insert on that
 * database waits behind the claim group (up to the lock-wait timeout). READ COMMITTED takes no
 * gap locks for these reads, only the locks of rows that exist. Nothing here needs more:
 * - every claim of a packet is decided and written while its packet row is locked, so the packet
 *   row read under that lock is the latest one, and so are its claims;
 * - the plain claims read takes a fresh snapshot per statement at READ COMMITTED, i.e. after the
 *   lock was granted: it sees every claim committed by the transactions that held the lock before
 *   (and the (packet_id, uid) unique key still refuses a second claim if anything ever slipped);
 * - the UPDATEs are guarded by the status and remaining count read under the lock.
 * `SET TRANSACTION` (no SESSION) applies to the next transaction only, so the connection goes back
 * to the pool with the server's default. READ COMMITTED needs binlog_format ROW or MIXED when the
 * binary log is on (MariaDB's default is MIXED, MySQL 8's ROW).
 *
 * A failure to reach the database (refused, lost or timed-out connection, closed pool) leaves as
 * `DEPENDENCY_FAILED` (503: retry), not as a bug: a claim is idempotent by (packet_id, uid), so a
 * retry after a connection lost during COMMIT gets the claim that committed, or a new decision.
 */
import type { Pool as CorePool, PoolConnection as CoreConnection } from 'mysql2';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Claim } from '../../domain/claim.js';
import type { Packet } from '../../domain/packet.js';
import { asDependencyFailure } from '../shared/db-errors.js';
import { chunks, type ClaimTx, type LockedForClaims } from '../shared/store-dialect.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './transaction.js';
import { IN_LIST_MAX_VALUES } from './in-lists.js';
import { packetUpdateStatements } from './packet-updates.js';

const PACKET_COLUMNS = `id, type, sender_uid AS senderUid, out_order_no AS outOrderNo,
  total_amount AS totalAmount, total_count AS totalCount, remaining_amount AS remainingAmount,
  remaining_count AS remainingCount, split_mode AS splitMode, status, greeting,
  pay_order_no AS payOrderNo, expires_at AS expiresAt, created_at AS createdAt, updated_at AS updatedAt`;
const CLAIM_COLUMNS = `claim_no AS claimNo, packet_id AS packetId, uid, seq, amount, status,
  created_at AS createdAt, updated_at AS updatedAt`;

const BEGIN_SQL = `SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
START TRANSACTION`;
const LOCK_PACKETS_SQL = `SELECT ${PACKET_COLUMNS} FROM packets WHERE id IN (?) ORDER BY id FOR UPDATE`;
// (packet_id, uid) IN ((?, ?), …) is a range read on claims_packet_uid_uq (checked with EXPLAIN on
// MariaDB 10.11): exactly the asked pairs, not every claim of a hot packet
const CLAIMS_SQL = `SELECT ${CLAIM_COLUMNS} FROM claims WHERE (packet_id, uid) IN (?)`;

/**
 * Round trip 1 of a group: begin, lock the packets in id order (ids sorted here, and each chunk
 * sorted again by the server, so chunk after chunk locks in one ascending order), read the asked
 * claims. Exported for the plan test.
 */
export function lockStatements(
  ids: readonly string[],
  pairs: ReadonlyArray<readonly [string, string]>,
): { sql: string; values: unknown[]; packetChunks: number } {
  const idChunks = chunks([...ids].sort(), IN_LIST_MAX_VALUES);
  const pairChunks = chunks(pairs, IN_LIST_MAX_VALUES / 2);
  return {
    sql: [BEGIN_SQL, ...idChunks.map(() => LOCK_PACKETS_SQL), ...pairChunks.map(() => CLAIMS_SQL)].join(
      ';\n',
    ),
    values: [...idChunks, ...pairChunks],
    packetChunks: idChunks.length,
  };
}
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
    async lockForClaims(requests) {
      const ids = requests.map((r) => r.packetId);
      const pairs = requests.flatMap((r) => r.uids.map((uid) => [r.packetId, uid] as const));
      const { sql, values, packetChunks } = lockStatements(ids, pairs);
      // [SET TRANSACTION, START TRANSACTION, …packet chunks, …claim chunks]
      const results = (await query(conn, sql, values)) as Array<ResultSetHeader | RowDataPacket[]>;
      const locked = new Map<string, LockedForClaims>(ids.map((id) => [id, { packet: null, existing: [] }]));
      const rows = results.slice(2) as RowDataPacket[][];
      for (const row of rows.slice(0, packetChunks).flat() as Packet[])
        locked.set(row.id, { packet: row, existing: [] });
      for (const claim of rows.slice(packetChunks).flat() as Claim[])
        locked.get(claim.packetId)?.existing.push(claim);
      return locked;
    },

    async applyClaims(packets, claims, tasks) {
      const statements: string[] = [];
      const values: unknown[] = [];
      const updates = packetUpdateStatements(packets);
      statements.push(...updates.statements);
      values.push(...updates.values);
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
      if (statements.length === 0) return true;
      const result = await query(conn, statements.join(';\n'), values);
      const headers = (statements.length === 1 ? [result] : result) as ResultSetHeader[];
      // one changed row per packet, over however many statements they took
      let changed = 0;
      for (const h of headers.slice(0, updates.statements.length)) changed += h.affectedRows;
      return changed === packets.length;
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
export async function writeMysqlClaims<T>(
  pool: CorePool,
  work: (tx: ClaimTx) => Promise<T>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  try {
    return await withRetry(() => once(pool, work), retry);
  } catch (e) {
    throw asDependencyFailure(e, 'the claim transaction');
  }
}
