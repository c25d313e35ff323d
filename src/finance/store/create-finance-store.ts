import { openMysql } from './mysql/adapter.js';
import { createOperations } from './operations.js';
import { openSqlite } from './sqlite/adapter.js';
import type { FinanceStore, FinanceStoreConfig } from './types.js';

/** Finance's own database: a SQLite file by default, MySQL/MariaDB when given a URL. */
export function createFinanceStore(config: FinanceStoreConfig): FinanceStore {
  return createOperations(config.kind === 'sqlite' ? openSqlite(config.file) : openMysql(config.url));
}
