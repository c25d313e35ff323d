import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { createStore } from '../../src/storage/create-store.js';
import { sweepOrdersSuite } from './sweep-orders.suite.js';

sweepOrdersSuite('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-sweep-'));
  const file = join(dir, 'redpkt.db');
  const store = await createStore({ kind: 'sqlite', file });
  await store.migrate();
  const raw = createClient({ url: pathToFileURL(file).href, timeout: 5000 });
  return {
    store,
    async sql(statement, args) {
      await raw.execute({ sql: statement, args });
    },
    async cleanup() {
      raw.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
