import { describe } from 'vitest';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import { reconStoreContract } from './recon-store.contract.js';

describe.skipIf(!(await mysqlAvailable()))('mysql adapter', () => {
  reconStoreContract('mysql', async () => {
    const db = await createTestMysql('recon');
    return { config: { kind: 'mysql', urls: [db.url] }, cleanup: () => db.drop() };
  });
});
