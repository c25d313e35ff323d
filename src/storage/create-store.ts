/** The packet store factory: embedded SQLite by default, MySQL/MariaDB for production (DESIGN §2). */
import { RedpktError } from '../domain/errors.js';
import type { PacketStore } from '../domain/ports.js';
import { createMysqlStore } from './mysql/mysql-store.js';
import { createShardedMysqlStore } from './sharded/create-sharded-store.js';
import { logShardFailures } from './sharded/shard-failures.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';

export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; urls: string[] };

export interface StoreOptions {
  /** Where a shard's failure is logged (throttled, src/storage/sharded/shard-failures.ts); default stderr. */
  log?: (msg: string, err: unknown) => void;
}

export async function createStore(config: StoreConfig, opts: StoreOptions = {}): Promise<PacketStore> {
  switch (config.kind) {
    case 'sqlite':
      return createSqliteStore({ file: config.file });
    case 'mysql': {
      const [url, ...more] = config.urls;
      if (url === undefined) throw new RedpktError('VALIDATION_FAILED', 'a MySQL store needs a database URL');
      // issue 6: several URLs are shards (src/storage/sharded/); the list is fixed for the life of the data
      return more.length > 0
        ? createShardedMysqlStore(config.urls, { onShardFailure: logShardFailures(opts.log) })
        : createMysqlStore({ url });
    }
  }
}

/** Opens the store, creates or updates its tables, and closes it again. */
export async function migrateStore(config: StoreConfig): Promise<void> {
  const store = await createStore(config);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}
