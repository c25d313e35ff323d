/**
 * Issue 6: the whole PacketStore contract on the sharded store: CONTRACT_SHARDS databases on the
 * test MariaDB, the fixtures' packets on their senders' shards (test/contract/contract-fixtures.ts).
 */
import mysql from 'mysql2/promise';
import type { ResultSetHeader } from 'mysql2/promise';
import { describe } from 'vitest';
import { createStore } from '../../src/storage/create-store.js';
import { CONTRACT_SHARDS } from '../contract/contract-fixtures.js';
import { packetStoreContract } from '../contract/packet-store.contract.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';

describe.skipIf(!(await mysqlAvailable()))('sharded mysql adapter', () => {
  packetStoreContract(`mysql, ${CONTRACT_SHARDS} shards`, async () => {
    const dbs = await Promise.all(
      Array.from({ length: CONTRACT_SHARDS }, (_, i) => createTestMysql(`shard${i}`)),
    );
    const store = await createStore({ kind: 'mysql', urls: dbs.map((d) => d.url) });
    const raws = await Promise.all(dbs.map((d) => mysql.createConnection({ uri: d.url })));
    // the backdoor writes on every shard: exactly one of them holds the row
    const set = async (sql: string, args: string[]) => {
      let rows = 0;
      for (const raw of raws) rows += (await raw.query<ResultSetHeader>(sql, args))[0].affectedRows;
      if (rows !== 1) throw new Error(`backdoor updated ${rows} rows over the shards: ${sql}`);
    };
    return {
      store,
      forcePaymentStatus: (payOrderNo, status) =>
        set('UPDATE payment_orders SET status = ? WHERE pay_order_no = ?', [status, payOrderNo]),
      forcePacketStatus: (packetId, status) =>
        set('UPDATE packets SET status = ? WHERE id = ?', [status, packetId]),
      async cleanup() {
        await Promise.all(raws.map((r) => r.end()));
        await store.close();
        await Promise.all(dbs.map((d) => d.drop()));
      },
    };
  });
});
