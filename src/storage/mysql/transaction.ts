/**
 * One write transaction on its own pooled connection, retried on deadlock and lock-wait timeout.
 *
 * We drive BEGIN/COMMIT/ROLLBACK ourselves instead of drizzle's `transaction()` so that a
 * connection whose ROLLBACK failed is destroyed, never returned to the pool with a transaction
 * still open (the next user's BEGIN would silently commit that partial work).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { drizzle } from 'drizzle-orm/mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { asDependencyFailure, isMysqlRetryable } from '../shared/db-errors.js';
import type { StoreTx } from '../shared/store-dialect.js';
import { createMysqlRows } from './mysql-rows.js';

export interface RetryPolicy {
  attempts: number;
  /** Backoff before retry n (1-based) is up to baseDelayMs * 2^(n-1), jittered. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 5 };

async function once<T>(pool: Pool, work: (tx: StoreTx) => Promise<T>): Promise<T> {
  const conn: PoolConnection = await pool.getConnection();
  let reusable = true;
  try {
    await conn.query('START TRANSACTION');
    try {
      const result = await work(createMysqlRows(drizzle(conn)));
      await conn.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await conn.query('ROLLBACK');
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

/**
 * A failure to reach the database leaves as DEPENDENCY_FAILED (503: the caller may retry; every
 * money write is idempotent by a unique key, so a retry after a connection lost during COMMIT is
 * safe), not as a bug (500).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (tx: StoreTx) => Promise<T>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  try {
    return await withRetry(() => once(pool, work), retry);
  } catch (e) {
    throw asDependencyFailure(e, 'a database transaction');
  }
}

/** Runs `attempt` again after a deadlock or lock-wait timeout (it rolled back), with jittered backoff. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= retry.attempts || !isMysqlRetryable(e)) throw e;
      const ceiling = retry.baseDelayMs * 2 ** (n - 1);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }
}
