/** Issue 8: opens the recon reads on the packet store's database (its own connection or pool). */
import type { RowDataPacket } from 'mysql2/promise';
import type { ReconStore } from '../../domain/ports.js';
import type { StoreConfig } from '../create-store.js';
import { createMysqlPool } from '../mysql/mysql-store.js';
import { openSqliteReader } from '../sqlite/sqlite-reader.js';
import { createShardedReconStore } from '../sharded/sharded-recon-store.js';
import { createReconStore, type SqlRunner } from './recon-store.js';

export function sqliteRunner(file: string): SqlRunner {
  const db = openSqliteReader(file);
  return {
    all: async (sql, args) => db.all(sql, args),
    run: async (sql, args) => db.run(sql, args),
    close: async () => db.close(),
  };
}

export function mysqlRunner(url: string): SqlRunner {
  const pool = createMysqlPool({ url, connectionLimit: 2 });
  return {
    async all(sql, args) {
      const [rows] = await pool.query<RowDataPacket[]>(sql, [...args]);
      return rows.map((row) => ({ ...row }));
    },
    async run(sql, args) {
      await pool.query(sql, [...args]);
    },
    close: () => pool.end(),
  };
}

/** The packet store's tables must exist (`store.migrate()`), the switch store's too. */
export function openReconStore(config: StoreConfig): ReconStore {
  if (config.kind === 'sqlite') return createReconStore(sqliteRunner(config.file));
  const [url, ...more] = config.urls;
  if (url === undefined) throw new Error('a MySQL store needs a database URL');
  if (more.length > 0) return createShardedReconStore(config.urls.map(mysqlRunner)); // issue 6: shards
  return createReconStore(mysqlRunner(url));
}
