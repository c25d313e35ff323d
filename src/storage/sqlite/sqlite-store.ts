/**
 * The embedded packet store: one SQLite file through @libsql/client and drizzle.
 *
 * Concurrency. @libsql/client keeps a small pool of connections to the file and gives every
 * `transaction()` its own connection, so a per-connection PRAGMA run once would miss the others.
 * Hence: the busy timeout goes in the client config (`timeout`), which libsql applies to every
 * connection it opens; WAL is a property of the file, set once. All write transactions of this
 * store pass through one in-process queue, so concurrent callers never contend for SQLite's write
 * lock (no SQLITE_BUSY); the busy timeout only covers other processes on the same file. Reads run
 * outside the queue on their own connections and see the last committed state (WAL readers never
 * block the writer).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { PacketStore } from '../../domain/ports.js';
import { isSqliteUniqueViolation } from '../shared/db-errors.js';
import { createPacketStore } from '../shared/packet-store.js';
import type { StoreDialect } from '../shared/store-dialect.js';
import { createWriteQueue } from '../shared/write-queue.js';
import { migrateSqlite } from './migrate.js';
import { createSqliteRows } from './sqlite-rows.js';

export interface SqliteStoreOptions {
  file: string;
  /** How long to wait for another process's write lock, in ms. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export async function createSqliteStore(options: SqliteStoreOptions): Promise<PacketStore> {
  const file = resolve(options.file);
  await mkdir(dirname(file), { recursive: true });
  const client = createClient({
    url: pathToFileURL(file).href,
    timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  });
  try {
    await client.execute('PRAGMA journal_mode = WAL');
  } catch (e) {
    client.close();
    throw e;
  }
  const db = drizzle(client);
  const reads = createSqliteRows(db);
  const queue = createWriteQueue();
  let closed = false;

  const dialect: StoreDialect = {
    reads,
    // drizzle's libsql transaction() opens client.transaction('write'), i.e. BEGIN IMMEDIATE.
    write: (work) => queue.run(() => db.transaction((tx) => work(createSqliteRows(tx)))),
    isUniqueViolation: isSqliteUniqueViolation,
    migrate: () => queue.run(() => migrateSqlite(client)),
    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      client.close();
    },
  };
  return createPacketStore(dialect);
}
