import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSqlite } from './migrate.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import * as schema from './schema.js';
import * as subsidySchema from './subsidy-schema.js';

const tables: SQLiteTable[] = [...Object.values(schema), ...Object.values(subsidySchema)];

describe('sqlite schema.ts and migrations.ts', () => {
  let dir = '';
  let client: Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-schema-'));
    client = createClient({ url: pathToFileURL(join(dir, 'schema.db')).href });
    await migrateSqlite(client);
  });

  afterAll(async () => {
    client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(tables.map((t) => [getTableConfig(t).name, t] as const))(
    'declare the same columns and indexes for %s',
    async (name, table) => {
      const config = getTableConfig(table);
      const columns = await client.execute(`PRAGMA table_info(${name})`);
      expect(columns.rows.map((r) => [r['name'], r['notnull'] === 1 || r['pk'] === 1]).sort()).toStrictEqual(
        config.columns.map((c) => [c.name, c.notNull]).sort(),
      );
      const indexes = await client.execute(`PRAGMA index_list(${name})`);
      expect(
        indexes.rows
          .filter((r) => r['origin'] === 'c')
          .map((r) => [r['name'], r['unique'] === 1])
          .sort(),
      ).toStrictEqual(config.indexes.map((i) => [i.config.name, i.config.unique]).sort());
    },
  );

  it('records each migration once however often it runs', async () => {
    await migrateSqlite(client);
    const versions = await client.execute('SELECT version FROM schema_migrations');
    expect(versions.rows.map((r) => r['version'])).toStrictEqual(SQLITE_MIGRATIONS.map((m) => m.version));
  });
});
