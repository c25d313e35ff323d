import mysql from 'mysql2/promise';
import type { ResultSetHeader } from 'mysql2/promise';
import { describe } from 'vitest';
import { createStore } from '../../src/storage/create-store.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import { packetStoreContract } from './packet-store.contract.js';

describe.skipIf(!(await mysqlAvailable()))('mysql adapter', () => {
  packetStoreContract('mysql', async () => {
    const db = await createTestMysql('store');
    const store = await createStore({ kind: 'mysql', urls: [db.url] });
    const raw = await mysql.createConnection({ uri: db.url });
    const set = async (sql: string, args: string[]) => {
      const [result] = await raw.query<ResultSetHeader>(sql, args);
      if (result.affectedRows !== 1) throw new Error(`backdoor updated ${result.affectedRows} rows: ${sql}`);
    };
    return {
      store,
      forcePaymentStatus: (payOrderNo, status) =>
        set('UPDATE payment_orders SET status = ? WHERE pay_order_no = ?', [status, payOrderNo]),
      forcePacketStatus: (packetId, status) =>
        set('UPDATE packets SET status = ? WHERE id = ?', [status, packetId]),
      async cleanup() {
        await raw.end();
        await store.close();
        await db.drop();
      },
    };
  });
});
