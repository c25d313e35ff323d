import mysql from 'mysql2/promise';
import { describe } from 'vitest';
import { createStore } from '../../src/storage/create-store.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import { sweepOrdersSuite } from './sweep-orders.suite.js';

describe.skipIf(!(await mysqlAvailable()))('mysql', () => {
  sweepOrdersSuite('mysql', async () => {
    const db = await createTestMysql('sweep');
    const store = await createStore({ kind: 'mysql', urls: [db.url] });
    await store.migrate();
    const raw = await mysql.createConnection({ uri: db.url });
    return {
      store,
      async sql(statement, args) {
        await raw.query(statement, args);
      },
      async cleanup() {
        await raw.end();
        await store.close();
        await db.drop();
      },
    };
  });
});
