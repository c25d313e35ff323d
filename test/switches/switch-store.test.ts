import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { createMysqlSwitchStore } from '../../src/storage/switches/mysql-switch-store.js';
import { createSqliteSwitchStore } from '../../src/storage/switches/sqlite-switch-store.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import type { TestMysql } from '../support/services.js';
import { switchStoreContract } from './switch-store.contract.js';

const opened: SwitchStore[] = [];
const dirs: string[] = [];
const dbs: TestMysql[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const db of dbs) await db.drop();
});

switchStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-switches-'));
  dirs.push(dir);
  const store = await createSqliteSwitchStore({ file: join(dir, 'redpkt.db') });
  opened.push(store);
  await store.migrate();
  return store;
});

const hasMysql = await mysqlAvailable();
describe.skipIf(!hasMysql)('on MariaDB', () => {
  switchStoreContract('MariaDB', async () => {
    const db = await createTestMysql('sw');
    dbs.push(db);
    const store = await createMysqlSwitchStore({ url: db.url });
    opened.push(store);
    await store.migrate();
    return store;
  });
});
