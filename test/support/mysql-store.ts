/** The MySQL store on a fresh test database, migrated: the setup of the MySQL-only store tests. */
import type { PacketStore } from '../../src/domain/ports.js';
import { createMysqlStore } from '../../src/storage/mysql/mysql-store.js';
import { createTestMysql, type TestMysql } from './services.js';

export interface TestMysqlStore extends TestMysql {
  store: PacketStore;
}

/** `createTestMysql(label)` with the store migrated on it; `drop()` closes the store, then drops. */
export async function createTestMysqlStore(label: string): Promise<TestMysqlStore> {
  const db = await createTestMysql(label);
  const store = await createMysqlStore({ url: db.url });
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    await db.drop();
    throw e;
  }
  return {
    ...db,
    store,
    async drop() {
      await store.close();
      await db.drop();
    },
  };
}
