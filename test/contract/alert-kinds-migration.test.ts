/**
 * Migration 8: alerts under the stuck order's own kind. A database at version 7 holds alerts of
 * withdrawals, B2C returns and expiries filed as transfers and refunds (the only kinds its CHECK
 * took); after the migration they are filed under their own kinds (read from their messages), the
 * others are untouched, and the table takes every kind, still one alert per (kind, ref).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../src/storage/shared/migration.js';
import { migrateMysql } from '../../src/storage/mysql/migrate.js';
import { MYSQL_MIGRATIONS, MYSQL_MIGRATIONS_TABLE } from '../../src/storage/mysql/migrations.js';
import { createMysqlPool } from '../../src/storage/mysql/mysql-store.js';
import { migrateSqlite } from '../../src/storage/sqlite/migrate.js';
import { SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE } from '../../src/storage/sqlite/migrations.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';

const OLD_ALERTS = [
  ['transfer', 'C1', 'transfer C1 is still transferring after 5 attempts'],
  ['transfer', 'WDR1', 'withdrawal WDR1 is still pending after 5 attempts'],
  ['refund', 'P1-R', 'refund P1-R is still pending after 5 attempts'],
  ['refund', 'P2-R', 'B2C remainder return P2-R is still pending after 5 attempts'],
  ['refund', 'P3', 'expiry of packet P3 is active and its task was given up'],
  ['payment', 'PAY1', 'payment PAY1 is still pending after 5 attempts'],
] as const;

const REFILED = [
  ['transfer', 'C1'],
  ['withdrawal', 'WDR1'],
  ['refund', 'P1-R'],
  ['b2c_return', 'P2-R'],
  ['expiry', 'P3'],
  ['payment', 'PAY1'],
];

/** What a database at version 7 ran. */
const upTo7 = (all: readonly Migration[]) =>
  [...all].filter((m) => m.version <= 7).sort((a, b) => a.version - b.version);

const INSERT = 'INSERT INTO alerts (kind, ref, message, attempts, created_at) VALUES (?, ?, ?, 5, 1)';

describe('migration 8 on SQLite', () => {
  it('re-files the old alerts under their own kinds and takes every kind after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-alerts-mig-'));
    const client = createClient({ url: pathToFileURL(join(dir, 'v7.db')).href });
    try {
      await client.execute(SQLITE_MIGRATIONS_TABLE);
      for (const m of upTo7(SQLITE_MIGRATIONS)) {
        for (const statement of m.statements) await client.execute(statement);
        await client.execute({
          sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)',
          args: [m.version, m.name],
        });
      }
      for (const row of OLD_ALERTS) await client.execute({ sql: INSERT, args: [...row] });
      await expect(client.execute({ sql: INSERT, args: ['withdrawal', 'X', 'x'] })).rejects.toThrow(/CHECK/);

      await migrateSqlite(client);

      const rows = await client.execute('SELECT kind, ref FROM alerts ORDER BY id');
      expect(rows.rows.map((r) => [r['kind'], r['ref']])).toStrictEqual(REFILED);
      await client.execute({ sql: INSERT, args: ['withdrawal', 'WDR2', 'withdrawal WDR2 …'] });
      await expect(client.execute({ sql: INSERT, args: ['withdrawal', 'WDR2', 'again'] })).rejects.toThrow(
        /UNIQUE/,
      );
      await expect(client.execute({ sql: INSERT, args: ['nonsense', 'X', 'x'] })).rejects.toThrow(/CHECK/);
    } finally {
      client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!(await mysqlAvailable()))('migration 8 on MariaDB', () => {
  it('re-files the old alerts under their own kinds and takes every kind after, also when cut off and run again', async () => {
    const db = await createTestMysql('alertmig');
    const pool: Pool = createMysqlPool({ url: db.url, connectionLimit: 2 });
    try {
      await pool.query(MYSQL_MIGRATIONS_TABLE);
      for (const m of upTo7(MYSQL_MIGRATIONS)) {
        for (const statement of m.statements) await pool.query(statement);
        await pool.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)', [
          m.version,
          m.name,
        ]);
      }
      for (const row of OLD_ALERTS) await pool.query(INSERT, [...row]);
      await expect(pool.query(INSERT, ['withdrawal', 'X', 'x'])).rejects.toThrow(/CONSTRAINT/i);

      await migrateMysql(pool);
      // a run cut off before its record: version 8 again, whole
      await pool.query('DELETE FROM schema_migrations WHERE version = 8');
      await migrateMysql(pool);
      // a run cut off between dropping the old CHECK and adding the new one
      await pool.query('ALTER TABLE alerts DROP CONSTRAINT alerts_kind_ck');
      await pool.query('DELETE FROM schema_migrations WHERE version = 8');
      await migrateMysql(pool);
      const [versions] = await pool.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 8',
      );
      expect(Number(versions[0]?.['n'])).toBe(1);

      const [rows] = await pool.query<RowDataPacket[]>('SELECT kind, ref FROM alerts ORDER BY id');
      expect(rows.map((r) => [r['kind'], r['ref']])).toStrictEqual(REFILED);
      await pool.query(INSERT, ['withdrawal', 'WDR2', 'withdrawal WDR2 …']);
      await expect(pool.query(INSERT, ['withdrawal', 'WDR2', 'again'])).rejects.toThrow(/Duplicate/);
      await expect(pool.query(INSERT, ['nonsense', 'X', 'x'])).rejects.toThrow(/CONSTRAINT/i);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
