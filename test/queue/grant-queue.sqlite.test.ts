import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrantQueue } from '../../src/domain/ports.js';
import { createSqliteGrantQueue } from '../../src/queue/sqlite-grant-queue.js';
import { grantQueueContract } from './grant-queue.contract.js';

grantQueueContract('embedded, SQLite queue.db', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-queue-'));
  const file = join(dir, 'queue.db');
  let queue: GrantQueue | undefined;
  return {
    open: async (visibilityMs) => (queue = await createSqliteGrantQueue({ file, visibilityMs, pollMs: 10 })),
    // One process opens one queue per file: two SQLite connections in one process would block the
    // event loop in the driver's busy wait. Its consumers share the instance; other processes on the
    // file are kept apart by BEGIN IMMEDIATE, as every SQLite writer is.
    async another() {
      if (!queue) throw new Error('open the queue first');
      return { ...queue, close: async () => {} };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('the embedded queue while nobody publishes', () => {
  let dir: string;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-queue-idle-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await rm(dir, { recursive: true, force: true });
  });
  const open = async (idlePollMs: number) => {
    const queue = await createSqliteGrantQueue({ file: join(dir, 'queue.db'), pollMs: 10, idlePollMs });
    closers.push(() => queue.close());
    return queue;
  };

  it('backs off its looks, and a publish in this process wakes a waiting receive at once', async () => {
    const queue = await open(10_000);
    const waiting = queue.receive(5, 20_000);
    // 3 s of empty looks: the pause has grown past 2.5 s, so only the wake can answer soon
    await new Promise((r) => setTimeout(r, 3_000));
    const published = Date.now();
    await queue.publish(['g1']);
    const got = await waiting;
    expect(got.map((m) => m.payload)).toStrictEqual(['g1']);
    expect(Date.now() - published).toBeLessThan(1_000);
  });

  it('still sees, within its longest pause, a message another process wrote to the file', async () => {
    const queue = await open(200);
    const waiting = queue.receive(5, 10_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const other = createClient({ url: pathToFileURL(join(dir, 'queue.db')).href });
    const at = Date.now();
    await other.execute({
      sql: 'INSERT INTO grant_queue (payload, enqueued_at, visible_at, deliveries) VALUES (?, ?, ?, 0)',
      args: ['from-elsewhere', at, at],
    });
    other.close();
    const got = await waiting;
    expect(got.map((m) => m.payload)).toStrictEqual(['from-elsewhere']);
    expect(Date.now() - at).toBeLessThan(2_000);
  });
});
