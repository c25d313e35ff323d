/**
 * Review of issue 6: a database the single-database store used (one `--mysql` URL) holds no shard
 * identity; given later as one of several shards it must be refused, not stamped "shard i of N"
 * (its users' rows would be looked for on other shards: balances orphaned, a used subsidy token
 * booked and spent again there).
 */
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/storage/create-store.js';
import { openMysqlShard } from '../../src/storage/sharded/mysql-shard.js';
import { NOW, activePacket } from '../contract/contract-fixtures.js';
import { codeOf } from '../contract/subsidy-fixtures.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';

describe.skipIf(!(await mysqlAvailable()))('the shard identity of a database the single store used', () => {
  const dbs: TestMysql[] = [];
  const fresh = async (label: string) => {
    const db = await createTestMysql(label);
    dbs.push(db);
    return db;
  };
  /** A database migrated and used by the single-database store. */
  let used: TestMysql;
  beforeAll(async () => {
    used = await fresh('single');
    const single = await createStore({ kind: 'mysql', urls: [used.url] });
    try {
      await single.migrate();
      await activePacket(single);
    } finally {
      await single.close();
    }
  });
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  const identityRows = async (db: TestMysql) => {
    const conn = await mysql.createConnection({ uri: db.url });
    try {
      const [tables] = await conn.query<RowDataPacket[]>("SHOW TABLES LIKE 'shard_identity'");
      if (tables.length === 0) return [];
      return (await conn.query<RowDataPacket[]>('SELECT shard, shards FROM shard_identity'))[0];
    } finally {
      await conn.end();
    }
  };

  it('refuses to open it as shard 1 of 2, and stamps nothing', async () => {
    const other = await fresh('other');
    expect(await codeOf(createStore({ kind: 'mysql', urls: [used.url, other.url] }))).toBe('USAGE');
    expect(await identityRows(used)).toStrictEqual([]);
  });

  it('refuses to migrate it as a shard of 2 (as shard 2 too), and stamps nothing', async () => {
    for (const index of [0, 1]) {
      const shard = await openMysqlShard(index, used.url);
      try {
        expect(await codeOf(shard.migrate(2, NOW))).toBe('USAGE');
      } finally {
        await shard.close();
      }
    }
    expect(await identityRows(used)).toStrictEqual([]);
    // and the single store still works on it as before
    const single = await createStore({ kind: 'mysql', urls: [used.url] });
    try {
      await single.migrate();
    } finally {
      await single.close();
    }
  });

  it('refuses a database holding only a user balance as well', async () => {
    const db = await fresh('balance');
    const single = await createStore({ kind: 'mysql', urls: [db.url] });
    await single.migrate();
    await single.close();
    const conn = await mysql.createConnection({ uri: db.url });
    await conn.query(
      "INSERT INTO subsidy_balances (uid, available, held, updated_at) VALUES ('u', 500, 0, 1)",
    );
    await conn.end();
    const other = await fresh('balother');
    expect(await codeOf(createStore({ kind: 'mysql', urls: [db.url, other.url] }))).toBe('USAGE');
  });

  it('still stamps an empty database, even one the single store migrated, and reopens it', async () => {
    const migrated = await fresh('empty');
    const single = await createStore({ kind: 'mysql', urls: [migrated.url] });
    await single.migrate();
    await single.close();
    const blank = await fresh('blank');

    const sharded = await createStore({ kind: 'mysql', urls: [migrated.url, blank.url] });
    try {
      await sharded.migrate();
      await activePacket(sharded);
    } finally {
      await sharded.close();
    }
    expect(await identityRows(migrated)).toStrictEqual([{ shard: 0, shards: 2 }]);
    expect(await identityRows(blank)).toStrictEqual([{ shard: 1, shards: 2 }]);
    const again = await createStore({ kind: 'mysql', urls: [migrated.url, blank.url] });
    await again.close();
  });

  it('refuses to open a database stamped as a shard of 2 with its one URL alone', async () => {
    const [a, b] = [await fresh('pair-a'), await fresh('pair-b')];
    const sharded = await createStore({ kind: 'mysql', urls: [a.url, b.url] });
    try {
      await sharded.migrate();
    } finally {
      await sharded.close();
    }
    for (const alone of [a, b]) {
      expect(await codeOf(createStore({ kind: 'mysql', urls: [alone.url] }))).toBe('USAGE');
    }
  });
});
