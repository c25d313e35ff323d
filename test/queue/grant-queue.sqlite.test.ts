import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
