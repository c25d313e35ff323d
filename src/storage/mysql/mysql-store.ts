/**
 * The production packet store on MySQL/MariaDB through a mysql2 pool and drizzle. Every write is
 * one InnoDB transaction whose deciding reads are `SELECT … FOR UPDATE`; deadlocks and lock-wait
 * timeouts roll the whole transaction back and it is retried (./transaction.ts).
 */
import { drizzle } from 'drizzle-orm/mysql2';
import { createPool, type Pool } from 'mysql2/promise';
import { RedpktError } from '../../domain/errors.js';
import type { PacketStore } from '../../domain/ports.js';
import { isMysqlUniqueViolation } from '../shared/db-errors.js';
import { createPacketStore } from '../shared/packet-store.js';
import type { StoreDialect } from '../shared/store-dialect.js';
import { migrateMysql } from './migrate.js';
import { writeMysqlClaims } from './mysql-claim-tx.js';
import { createMysqlRows } from './mysql-rows.js';
import { readShardIdentity } from './shard-identity.js';
import { inTransaction } from './transaction.js';

export interface MysqlStoreOptions {
  url: string;
  connectionLimit?: number;
}

export const DEFAULT_CONNECTION_LIMIT = 20;

export function createMysqlPool(options: MysqlStoreOptions): Pool {
  return createPool({
    uri: options.url,
    connectionLimit: options.connectionLimit ?? DEFAULT_CONNECTION_LIMIT,
    waitForConnections: true,
    // BIGINT columns (fen, epoch ms) come back as JS numbers while they are safe integers
    supportBigNumbers: true,
    bigNumberStrings: false,
    enableKeepAlive: true,
    // the claim transaction sends its statements in three round trips (./mysql-claim-tx.ts);
    // every value is still escaped by mysql2, none is concatenated into SQL
    multipleStatements: true,
    // no stack captured per query by mysql2's promise API (`Error.captureStackTrace` on every
    // call, ~8% of the worker's CPU): a failed query's stack starts in mysql2; our callers wrap
    // database errors with their own context (DEPENDENCY_FAILED, the task that failed)
    trace: false,
  });
}

export async function createMysqlStore(options: MysqlStoreOptions): Promise<PacketStore> {
  const pool = await openMysqlPool(options);
  try {
    await refuseShardOfMany(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return createPacketStore(mysqlDialect(pool));
}

/**
 * A database the sharded store stamped as one of several shards (`shard_identity`, see
 * ../sharded/mysql-shard.ts) holds only the users its hash sends there: opened alone with one
 * `--mysql` URL, every other user's balance and booked subsidy would look empty, and a subsidy
 * token booked on another shard could be booked and spent again here. Refused (USAGE).
 */
async function refuseShardOfMany(pool: Pool): Promise<void> {
  const found = await readShardIdentity(pool);
  if (!found || found.shards <= 1) return;
  throw new RedpktError(
    'USAGE',
    `the database is shard ${found.shard + 1} of ${found.shards}: start it with all ` +
      `${found.shards} --mysql URLs, in the same order, not alone`,
    { details: { ...found } },
  );
}

/** A pool whose server answered: fails fast on a wrong URL or an unreachable server, as SQLite does. */
export async function openMysqlPool(options: MysqlStoreOptions): Promise<Pool> {
  const pool = createMysqlPool(options);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end();
    throw e;
  }
  return pool;
}

/** The dialect over one pool (issue 6: the sharded store builds one per shard); close() ends the pool. */
export function mysqlDialect(pool: Pool): StoreDialect {
  let closed = false;
  const dialect: StoreDialect = {
    reads: createMysqlRows(drizzle(pool)),
    write: (work) => inTransaction(pool, work),
    writeClaims: (work) => writeMysqlClaims(pool.pool, work),
    isUniqueViolation: isMysqlUniqueViolation,
    migrate: () => migrateMysql(pool),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return dialect;
}
