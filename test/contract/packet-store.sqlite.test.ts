import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { createStore } from '../../src/storage/create-store.js';
import { packetStoreContract } from './packet-store.contract.js';

packetStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-contract-'));
  // a parent directory that does not exist yet: createStore must make it
  const file = join(dir, 'nested', 'redpkt.db');
  const store = await createStore({ kind: 'sqlite', file });
  // the backdoor is a second connection to the same file, as another process would have
  const raw = createClient({ url: pathToFileURL(file).href, timeout: 5000 });
  const set = async (sql: string, args: string[]) => {
    const result = await raw.execute({ sql, args });
    if (result.rowsAffected !== 1) throw new Error(`backdoor updated ${result.rowsAffected} rows: ${sql}`);
  };
  return {
    store,
    forcePaymentStatus: (payOrderNo, status) =>
      set('UPDATE payment_orders SET status = ? WHERE pay_order_no = ?', [status, payOrderNo]),
    forcePacketStatus: (packetId, status) =>
      set('UPDATE packets SET status = ? WHERE id = ?', [status, packetId]),
    async cleanup() {
      raw.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
