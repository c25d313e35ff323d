/** Issue 6: a sharded store over fresh test databases, with a raw connection per shard for SQL checks. */
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { PacketStore } from '../../src/domain/ports.js';
import { createStore } from '../../src/storage/create-store.js';
import { shardOfKey } from '../../src/storage/sharded/shard-routing.js';
import { unique } from '../contract/contract-fixtures.js';
import { createTestMysql, type TestMysql } from '../support/services.js';

export interface ShardedTestStore {
  store: PacketStore;
  dbs: TestMysql[];
  raws: Connection[];
  /** Rows of a SELECT on one shard's database. */
  rows(shard: number, sql: string, args?: unknown[]): Promise<RowDataPacket[]>;
  /** The shards (indexes) whose database has a row for this SELECT. */
  shardsWith(sql: string, args: unknown[]): Promise<number[]>;
  cleanup(): Promise<void>;
}

export async function openShardedTestStore(shards: number, label: string): Promise<ShardedTestStore> {
  const dbs = await Promise.all(Array.from({ length: shards }, (_, i) => createTestMysql(`${label}${i}`)));
  const store = await createStore({ kind: 'mysql', urls: dbs.map((d) => d.url) });
  await store.migrate();
  const raws = await Promise.all(dbs.map((d) => mysql.createConnection({ uri: d.url })));
  const rows = async (shard: number, sql: string, args: unknown[] = []) => {
    const raw = raws[shard];
    if (!raw) throw new Error(`no shard ${shard}`);
    return (await raw.query<RowDataPacket[]>(sql, args))[0];
  };
  return {
    store,
    dbs,
    raws,
    rows,
    async shardsWith(sql, args) {
      const found: number[] = [];
      for (let i = 0; i < shards; i++) if ((await rows(i, sql, args)).length > 0) found.push(i);
      return found;
    },
    async cleanup() {
      await Promise.all(raws.map((r) => r.end()));
      await store.close();
      await Promise.all(dbs.map((d) => d.drop()));
    },
  };
}

/** A fresh uid whose rows (and sent packets) live on `shard` of `shards`. */
export function uidOn(shard: number, shards: number, prefix = 'u'): string {
  for (;;) {
    const uid = unique(prefix);
    if (shardOfKey(uid, shards) === shard) return uid;
  }
}
