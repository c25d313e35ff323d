/**
 * The switch store on MySQL/MariaDB: its own small mysql2 pool on the packet service's database
 * (the first URL when the packet store is sharded: switches are global, not per shard). Writes are
 * InnoDB transactions reading the old value `FOR UPDATE`, retried on deadlock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool } from 'mysql2/promise';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { SwitchStore } from '../../switches/ports.js';
import { isMysqlRetryable } from '../shared/db-errors.js';
import { MYSQL_SWITCH_DDL } from './migrations.js';
import type { SqlRow, SqlRunner, SqlStatement, SqlValue, StatementResult } from './switch-dialect.js';
import { createSwitchStoreOver } from './switch-store.js';

export interface MysqlSwitchStoreOptions {
  url: string;
  /**
   * A sharded packet store's other shards: `/metrics`' row counts (outbox backlog, alerts, rows by
   * state) add theirs up. One small pool each, connecting on the first count.
   */
  shardUrls?: readonly string[];
  connectionLimit?: number;
}

type Queryable = Pick<Pool, 'query'> | Pick<PoolConnection, 'query'>;

function runnerOver(db: Queryable): SqlRunner {
  return {
    async all(sql, args: readonly SqlValue[] = []) {
      const [rows] = await db.query(sql, [...args]);
      return rows as SqlRow[];
    },
    async run(sql, args: readonly SqlValue[] = []) {
      const [header] = await db.query<ResultSetHeader>(sql, [...args]);
      return { insertId: Number(header.insertId ?? 0), affected: header.affectedRows ?? 0 };
    },
  };
}

async function once(pool: Pool, statements: readonly SqlStatement[]): Promise<StatementResult[]> {
  const conn = await pool.getConnection();
  let reusable = true;
  try {
    await conn.query('START TRANSACTION');
    try {
      const result: StatementResult[] = [];
      for (const s of statements) {
        const [answer] = await conn.query(s.sql, [...(s.args ?? [])]);
        const header = answer as Partial<ResultSetHeader>;
        result.push({
          rows: Array.isArray(answer) ? (answer as SqlRow[]) : [],
          insertId: Number(header.insertId ?? 0),
          affected: header.affectedRows ?? 0,
        });
      }
      await conn.query('COMMIT');
      return result;
    } catch (e) {
      // a connection whose ROLLBACK failed must never go back to the pool mid-transaction
      await conn.query('ROLLBACK').catch(() => {
        reusable = false;
      });
      throw e;
    }
  } finally {
    if (reusable) conn.release();
    else conn.destroy();
  }
}

const poolOf = (uri: string, connectionLimit: number): Pool =>
  createPool({
    uri,
    connectionLimit,
    waitForConnections: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    enableKeepAlive: true,
  });

export async function createMysqlSwitchStore(options: MysqlSwitchStoreOptions): Promise<SwitchStore> {
  const pool = poolOf(options.url, options.connectionLimit ?? 4);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end();
    throw e;
  }
  // mysql2 connects on the first query: a CLI command that never counts never opens these
  const shardPools = (options.shardUrls ?? []).map((u) => poolOf(u, 2));
  let closed = false;
  return createSwitchStoreOver({
    reads: runnerOver(pool),
    shardReads: shardPools.map(runnerOver),
    async batch(statements) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(pool, statements);
        } catch (e) {
          if (attempt >= 5 || !isMysqlRetryable(e)) throw e;
          await sleep(5 * 2 ** attempt * Math.random());
        }
      }
    },
    insertIgnore: 'INSERT IGNORE',
    forUpdate: ' FOR UPDATE',
    migrations: MYSQL_SWITCH_DDL,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool, ...shardPools].map((p) => p.end()));
    },
  });
}
