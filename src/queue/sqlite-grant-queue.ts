/**
 * The embedded grant queue: a table in its own SQLite file (`<data-dir>/queue.db`), owned by
 * neither finance nor the packet service. At-least-once with a visibility timeout: `receive`
 * hides the messages it hands out until `visibleAt`; a message not acknowledged by then is handed
 * out again (to any consumer, in this process or another on the same file).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import type { InValue } from '@libsql/client';
import type { GrantQueue } from '../domain/ports.js';
import { chunks } from '../storage/shared/store-dialect.js';
import { createWriteQueue } from '../storage/shared/write-queue.js';

export interface SqliteGrantQueueOptions {
  file: string;
  /** How long a received message stays hidden before it is delivered again. Default 30 s. */
  visibilityMs?: number;
  /**
   * How soon an empty queue is looked at again while a receive waits: `pollMs` (default 20 ms)
   * after a look that found messages, doubling on each empty look up to `idlePollMs` (default
   * 250 ms). A publish in this process wakes a waiting receive at once; one by another process on
   * the same file is seen within `idlePollMs`.
   */
  pollMs?: number;
  idlePollMs?: number;
  now?: () => number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS grant_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    deliveries INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX IF NOT EXISTS grant_queue_visible_idx ON grant_queue (visible_at, id)`,
];

export async function createSqliteGrantQueue(options: SqliteGrantQueueOptions): Promise<GrantQueue> {
  const file = resolve(options.file);
  await mkdir(dirname(file), { recursive: true });
  const client = createClient({ url: pathToFileURL(file).href, timeout: 5_000 });
  const now = options.now ?? Date.now;
  const visibilityMs = options.visibilityMs ?? 30_000;
  const pollMs = options.pollMs ?? 20;
  const idlePollMs = Math.max(pollMs, options.idlePollMs ?? 250);
  /** The pause after the next empty look: back to `pollMs` whenever messages are found. */
  let idleDelay = pollMs;
  /** Receives waiting out a pause: a publish here ends their pause. */
  const waiting = new Set<() => void>();
  const wakeReceivers = () => {
    idleDelay = pollMs;
    for (const wake of waiting) wake();
  };
  /** Sleeps `ms`, or less if a publish in this process comes first. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  // One writer at a time in this process: concurrent callers never meet SQLITE_BUSY here.
  const writes = createWriteQueue();
  try {
    await client.execute('PRAGMA journal_mode = WAL');
    for (const statement of SCHEMA) await client.execute(statement);
  } catch (e) {
    client.close();
    throw e;
  }
  let closed = false;

  /**
   * Whether any message is visible now: a plain read, outside the write queue. An idle consumer
   * polls every `pollMs`; taking a write transaction for every empty look cost the all-in-one
   * process a few percent of its CPU while it served claims (issue 6 profile).
   */
  const anyVisible = async (): Promise<boolean> => {
    const result = await client.execute({
      sql: 'SELECT 1 FROM grant_queue WHERE visible_at <= ? LIMIT 1',
      args: [now()],
    });
    return result.rows.length > 0;
  };

  const take = (max: number) =>
    writes.run(async () => {
      const tx = await client.transaction('write');
      try {
        const at = now();
        const rows = await tx.execute({
          sql: 'SELECT id, payload FROM grant_queue WHERE visible_at <= ? ORDER BY visible_at, id LIMIT ?',
          args: [at, max],
        });
        const ids = rows.rows.map((r) => Number(r['id']));
        if (ids.length > 0) {
          await tx.execute({
            sql: `UPDATE grant_queue SET visible_at = ?, deliveries = deliveries + 1
                  WHERE id IN (${ids.map(() => '?').join(',')})`,
            args: [at + visibilityMs, ...ids],
          });
        }
        await tx.commit();
        return rows.rows.map((r) => ({ id: String(r['id']), payload: String(r['payload']) }));
      } finally {
        tx.close();
      }
    });

  return {
    async publish(payloads) {
      if (payloads.length === 0) return;
      const at = now();
      await writes.run(async () => {
        const statements = chunks(payloads, 300).map((part) => ({
          sql: `INSERT INTO grant_queue (payload, enqueued_at, visible_at, deliveries) VALUES ${part
            .map(() => '(?, ?, ?, 0)')
            .join(',')}`,
          args: part.flatMap((p): InValue[] => [p, at, at]),
        }));
        await client.batch(statements, 'write');
      });
      wakeReceivers();
    },

    async receive(max, waitMs) {
      const until = now() + waitMs;
      for (;;) {
        if (closed) return [];
        const messages = (await anyVisible()) ? await take(max) : [];
        if (messages.length > 0) {
          idleDelay = pollMs;
          return messages;
        }
        const left = until - now();
        if (left <= 0) return [];
        const delay = idleDelay;
        // kept across receives: a consumer asking again and again (200 ms each) stays backed off
        idleDelay = Math.min(idleDelay * 2, idlePollMs);
        await pause(Math.min(delay, left));
      }
    },

    async ack(ids) {
      if (ids.length === 0) return;
      await writes.run(async () => {
        const statements = chunks(ids, 500).map((part) => ({
          sql: `DELETE FROM grant_queue WHERE id IN (${part.map(() => '?').join(',')})`,
          args: part.map(Number),
        }));
        await client.batch(statements, 'write');
      });
    },

    async depth() {
      const result = await client.execute('SELECT count(*) AS n FROM grant_queue');
      return Number(result.rows[0]?.['n'] ?? 0);
    },

    async close() {
      if (closed) return;
      closed = true;
      wakeReceivers();
      await writes.idle();
      client.close();
    },
  };
}
