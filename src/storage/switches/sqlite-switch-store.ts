/**
 * The switch store on the embedded SQLite file, through its own @libsql/client connection to the
 * same file as the packet store.
 *
 * Why batches, a zero busy timeout and retries here: libsql's local driver is synchronous, and its
 * busy handler sleeps the whole thread. Two connections of ONE process writing one file would
 * deadlock: one blocks the thread waiting for the lock while the other, holding the lock between
 * two awaited statements, can never run again (until the timeout). So this connection never
 * waits (busy timeout 0) and never holds the lock across an await: every write is one
 * `client.batch` (BEGIN IMMEDIATE … COMMIT in one synchronous call). When the file is locked it
 * answers SQLITE_BUSY at once, and the batch is retried after a short asynchronous pause, during
 * which the packet store finishes its transaction. (Another process holding the lock is waited
 * for the same way, up to `lockWaitMs`.)
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import type { InStatement, ResultSet } from '@libsql/client';
import type { SwitchStore } from '../../switches/ports.js';
import { createWriteQueue } from '../shared/write-queue.js';
import { SQLITE_SWITCH_DDL } from './migrations.js';
import type { SqlRow, StatementResult } from './switch-dialect.js';
import { createSwitchStoreOver } from './switch-store.js';

export interface SqliteSwitchStoreOptions {
  file: string;
  /** How long to keep retrying a write while the file is locked. */
  lockWaitMs?: number;
}

const rowsOf = (rs: ResultSet): SqlRow[] =>
  rs.rows.map((row) => Object.fromEntries(rs.columns.map((c, i) => [c, row[i]])) as SqlRow);

function isBusy(e: unknown): boolean {
  for (let c: unknown = e; typeof c === 'object' && c !== null; c = (c as { cause?: unknown }).cause) {
    const { code, message } = c as { code?: unknown; message?: unknown };
    if (code === 'SQLITE_BUSY' || (typeof message === 'string' && message.includes('SQLITE_BUSY')))
      return true;
  }
  return false;
}

/** Retries while the file is locked, pausing asynchronously (never blocking the thread). */
async function whileLocked<T>(
  work: () => Promise<T>,
  lockWaitMs: number,
  onBusy: () => Promise<void> = async () => {},
): Promise<T> {
  const deadline = Date.now() + lockWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      await onBusy();
      await sleep(Math.min(50, 1 + attempt * 2) * (0.5 + Math.random()));
    }
  }
}

export async function createSqliteSwitchStore(options: SqliteSwitchStoreOptions): Promise<SwitchStore> {
  const file = resolve(options.file);
  const lockWaitMs = options.lockWaitMs ?? 10_000;
  await mkdir(dirname(file), { recursive: true });
  const url = pathToFileURL(file).href;
  const reader = createClient({ url, timeout: 0 });
  // Writes have their own client, one at a time: a batch refused with SQLITE_BUSY can leave its
  // connection unusable ("cannot commit transaction - SQL statements in progress"), so the writer
  // reconnects before the retry, which is safe only because nothing else is using it.
  const writer = createClient({ url, timeout: 0 });
  const queue = createWriteQueue();
  let closed = false;
  return createSwitchStoreOver({
    reads: {
      all: (sql, args = []) =>
        whileLocked(async () => rowsOf(await reader.execute({ sql, args: [...args] })), lockWaitMs),
      async run(sql, args = []) {
        const rs = await whileLocked(() => reader.execute({ sql, args: [...args] }), lockWaitMs);
        return { insertId: Number(rs.lastInsertRowid ?? 0), affected: rs.rowsAffected };
      },
    },
    async batch(statements) {
      const stmts: InStatement[] = statements.map((s) => ({ sql: s.sql, args: [...(s.args ?? [])] }));
      const results = await queue.run(() =>
        whileLocked(
          () => writer.batch(stmts, 'write'),
          lockWaitMs,
          async () => {
            await writer.reconnect();
          },
        ),
      );
      return results.map((rs): StatementResult => ({
        rows: rowsOf(rs),
        insertId: Number(rs.lastInsertRowid ?? 0),
        affected: rs.rowsAffected,
      }));
    },
    insertIgnore: 'INSERT OR IGNORE',
    forUpdate: '',
    migrations: SQLITE_SWITCH_DDL,
    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      reader.close();
      writer.close();
    },
  });
}
