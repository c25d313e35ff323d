/** A fresh data dir holding the packet store and finance's, both migrated and empty (recon CLI tests). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFinanceStore } from '../../src/finance/store/create-finance-store.js';
import { createStore } from '../../src/storage/create-store.js';

export async function emptyDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
  await store.migrate();
  await store.close();
  const finance = createFinanceStore({ kind: 'sqlite', file: join(dir, 'finance.db') });
  await finance.migrate();
  await finance.close();
  return dir;
}
