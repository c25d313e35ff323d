import type { Pool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { inTransaction } from './transaction.js';

/** A stand-in for the mysql2 pool that records what each connection was asked to do. */
function fakePool(options: { failRollback?: boolean } = {}) {
  const log: string[] = [];
  let n = 0;
  const pool = {
    async getConnection() {
      const id = ++n;
      return {
        async query(sql: string) {
          log.push(`${id}:${sql}`);
          if (sql === 'ROLLBACK' && options.failRollback) throw new Error('connection lost');
          return [[], []];
        },
        release: () => log.push(`${id}:release`),
        destroy: () => log.push(`${id}:destroy`),
      };
    },
  };
  // only getConnection() is used by inTransaction
  return { pool: pool as unknown as Pool, log };
}

const deadlock = () =>
  Object.assign(new Error('Failed query'), { cause: { errno: 1213, code: 'ER_LOCK_DEADLOCK' } });
const fast = { attempts: 3, baseDelayMs: 1 };

describe('inTransaction (mysql)', () => {
  it('rolls back a deadlocked attempt and retries it on a fresh transaction', async () => {
    const { pool, log } = fakePool();
    let calls = 0;
    const result = await inTransaction(
      pool,
      async () => {
        calls++;
        if (calls === 1) throw deadlock();
        return 'done';
      },
      fast,
    );
    expect(result).toBe('done');
    expect(log).toStrictEqual([
      '1:START TRANSACTION',
      '1:ROLLBACK',
      '1:release',
      '2:START TRANSACTION',
      '2:COMMIT',
      '2:release',
    ]);
  });

  it('gives up after the last attempt and throws the deadlock', async () => {
    const { pool, log } = fakePool();
    await expect(inTransaction(pool, () => Promise.reject(deadlock()), fast)).rejects.toMatchObject({
      cause: { errno: 1213 },
    });
    expect(log.filter((l) => l.endsWith('START TRANSACTION'))).toHaveLength(3);
    expect(log.filter((l) => l.endsWith('COMMIT'))).toHaveLength(0);
  });

  it('does not retry other errors', async () => {
    const { pool, log } = fakePool();
    await expect(inTransaction(pool, () => Promise.reject(new Error('boom')), fast)).rejects.toThrow('boom');
    expect(log).toStrictEqual(['1:START TRANSACTION', '1:ROLLBACK', '1:release']);
  });

  it('destroys a connection whose ROLLBACK failed instead of pooling it mid-transaction', async () => {
    const { pool, log } = fakePool({ failRollback: true });
    await expect(inTransaction(pool, () => Promise.reject(new Error('boom')), fast)).rejects.toThrow('boom');
    expect(log).toStrictEqual(['1:START TRANSACTION', '1:ROLLBACK', '1:destroy']);
  });
});

describe('a database that cannot be reached', () => {
  it('fails the transaction with DEPENDENCY_FAILED (503, retryable), not a raw driver error', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const pool = { getConnection: () => Promise.reject(refused) } as unknown as Pool;
    await expect(inTransaction(pool, async () => 1, fast)).rejects.toMatchObject({
      code: 'DEPENDENCY_FAILED',
      cause: refused,
    });
  });

  it('leaves an error the server raised for the statement as it is', async () => {
    const { pool } = fakePool();
    const bad = Object.assign(new Error('Unknown column'), { errno: 1054, code: 'ER_BAD_FIELD_ERROR' });
    await expect(
      inTransaction(
        pool,
        async () => {
          throw bad;
        },
        fast,
      ),
    ).rejects.toBe(bad);
  });
});
