import { getTableConfig, type MySqlTable } from 'drizzle-orm/mysql-core';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../../../test/support/services.js';
import { migrateMysql } from './migrate.js';
import { MYSQL_MIGRATIONS } from './migrations.js';
import { createMysqlPool } from './mysql-store.js';
import * as schema from './schema.js';
import * as subsidySchema from './subsidy-schema.js';

const tables: MySqlTable[] = [...Object.values(schema), ...Object.values(subsidySchema)];

describe.skipIf(!(await mysqlAvailable()))('mysql schema.ts and migrations.ts', () => {
  let db: TestMysql;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestMysql('schema');
    pool = createMysqlPool({ url: db.url, connectionLimit: 2 });
    await migrateMysql(pool);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it.each(tables.map((t) => [getTableConfig(t).name, t] as const))(
    'declare the same columns and indexes for %s',
    async (name, table) => {
      const config = getTableConfig(table);
      const [columns] = await pool.query<RowDataPacket[]>(
        'SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [db.database, name],
      );
      expect(columns.map((r) => [r['name'], r['nullable'] === 'NO']).sort()).toStrictEqual(
        config.columns.map((c) => [c.name, c.notNull]).sort(),
      );
      const [indexes] = await pool.query<RowDataPacket[]>(
        `SELECT DISTINCT INDEX_NAME AS name, NON_UNIQUE AS nonUnique FROM information_schema.STATISTICS
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'`,
        [db.database, name],
      );
      expect(indexes.map((r) => [r['name'], Number(r['nonUnique']) === 0]).sort()).toStrictEqual(
        config.indexes.map((i) => [i.config.name, i.config.unique]).sort(),
      );
    },
  );

  it('records each migration once however often it runs, even concurrently', async () => {
    await Promise.all([migrateMysql(pool), migrateMysql(pool)]);
    const [versions] = await pool.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
    expect(versions.map((r) => r['version'])).toStrictEqual(MYSQL_MIGRATIONS.map((m) => m.version));
  });
});
