/**
 * Applies the MySQL migrations not yet recorded. A named lock (GET_LOCK) keeps two processes
 * from migrating at once; the statements themselves are re-runnable (see ./migrations.ts).
 */
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { pendingMigrations } from '../shared/migration.js';
import { MYSQL_MIGRATIONS, MYSQL_MIGRATIONS_TABLE } from './migrations.js';

const LOCK_NAME = 'redpkt_schema_migrations';
const LOCK_TIMEOUT_SEC = 60;

export async function migrateMysql(pool: Pool, now: () => number = Date.now): Promise<void> {
  const conn = await pool.getConnection();
  try {
    const [lock] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [
      LOCK_NAME,
      LOCK_TIMEOUT_SEC,
    ]);
    if (Number(lock[0]?.['got']) !== 1) throw new Error(`could not take the migration lock ${LOCK_NAME}`);
    try {
      await conn.query(MYSQL_MIGRATIONS_TABLE);
      const [rows] = await conn.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => Number(r['version'])));
      for (const migration of pendingMigrations(MYSQL_MIGRATIONS, applied)) {
        for (const statement of migration.statements) await runStatement(conn, statement);
        await conn.query(
          'INSERT IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
          [migration.version, migration.name, now()],
        );
      }
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    conn.release();
  }
}

/** MySQL errors that mean "this ALTER already ran": a crash between a statement and its record. */
const ALREADY_APPLIED = new Set([
  1060, // ER_DUP_FIELDNAME: duplicate column name
  1061, // ER_DUP_KEYNAME: duplicate key name
]);

/**
 * Errors that mean "the constraint is already gone", skipped ONLY for a statement that drops one
 * constraint and does nothing else: anywhere else (a DROP COLUMN with a typo, a combined
 * `DROP …, ADD …`) the same codes are real failures, never a migration marked applied.
 */
const CONSTRAINT_GONE = new Set([
  1091, // ER_CANT_DROP_FIELD_OR_KEY: MariaDB's answer for a CHECK already dropped
  3821, // ER_CHECK_CONSTRAINT_NOT_FOUND: MySQL 8's answer to DROP CHECK
  3940, // ER_CONSTRAINT_NOT_FOUND: MySQL 8's answer to DROP CONSTRAINT
]);
const DROP_ONE_CONSTRAINT = /^ALTER TABLE \w+ DROP CONSTRAINT \w+$/i;

/**
 * MySQL DDL commits on its own, so a migration interrupted half way runs again from its first
 * statement; MySQL 8 has no ADD COLUMN / ADD KEY IF NOT EXISTS nor DROP CONSTRAINT IF EXISTS, so
 * those errors are skipped here.
 */
export function alreadyApplied(statement: string, errno: unknown): boolean {
  if (typeof errno !== 'number') return false;
  return (
    ALREADY_APPLIED.has(errno) || (CONSTRAINT_GONE.has(errno) && DROP_ONE_CONSTRAINT.test(statement.trim()))
  );
}

async function runStatement(conn: PoolConnection, statement: string): Promise<void> {
  try {
    await conn.query(statement);
  } catch (e) {
    if (alreadyApplied(statement, (e as { errno?: unknown }).errno)) return;
    throw e;
  }
}
