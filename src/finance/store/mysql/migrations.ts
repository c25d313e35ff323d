/**
 * Finance's MySQL/MariaDB schema, one statement per string. DDL is not transactional in MySQL,
 * so every statement is idempotent on its own. Binary collation: order numbers are case-sensitive,
 * as they are in SQLite.
 */
import type { Migration } from '../dialect.js';
import { MYSQL_INSTALL_MIGRATION } from './install-migrations.js';
import { MYSQL_RAIN_EXPORT_MIGRATION, MYSQL_RAIN_MIGRATION } from './rain-migrations.js';
import { MYSQL_SIGNED_REQUESTS_MIGRATION } from './signed-requests.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  applied_at BIGINT NOT NULL
) ${TABLE_OPTIONS}`;

export const MYSQL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, orders, ledger',
    statements: [
      `CREATE TABLE IF NOT EXISTS accounts (
        id VARCHAR(128) NOT NULL PRIMARY KEY,
        balance BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        CONSTRAINT accounts_balance_not_negative CHECK (balance >= 0 OR id = 'issuer')
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS orders (
        order_no VARCHAR(64) NOT NULL PRIMARY KEY,
        kind VARCHAR(16) NOT NULL,
        uid VARCHAR(64) NOT NULL,
        amount BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        txn_id VARCHAR(40) NULL,
        pay_order_no VARCHAR(64) NULL,
        subject VARCHAR(128) NOT NULL DEFAULT '',
        notify_url VARCHAR(1024) NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        KEY orders_pay_order_no (pay_order_no),
        CONSTRAINT orders_kind CHECK (kind IN ('payment', 'transfer', 'refund')),
        CONSTRAINT orders_status CHECK (status IN ('pending', 'succeeded', 'failed', 'closed')),
        CONSTRAINT orders_amount_positive CHECK (amount > 0)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ledger_entries (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        txn_id VARCHAR(40) NOT NULL,
        order_no VARCHAR(80) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        account VARCHAR(128) NOT NULL,
        direction VARCHAR(8) NOT NULL,
        amount BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        KEY ledger_entries_created_at (created_at),
        KEY ledger_entries_account (account),
        KEY ledger_entries_order_no (order_no),
        CONSTRAINT ledger_entries_signed CHECK ((direction = 'debit' AND amount < 0) OR (direction = 'credit' AND amount > 0))
      ) ${TABLE_OPTIONS}`,
      // The ledger is append-only, enforced by the database and not only by the code.
      `CREATE TRIGGER IF NOT EXISTS ledger_entries_no_update BEFORE UPDATE ON ledger_entries
       FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger entries are append-only'`,
      `CREATE TRIGGER IF NOT EXISTS ledger_entries_no_delete BEFORE DELETE ON ledger_entries
       FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger entries are append-only'`,
      `INSERT IGNORE INTO accounts (id, balance, created_at, updated_at) VALUES ('issuer', 0, 0, 0)`,
    ],
  },
  MYSQL_RAIN_MIGRATION,
  MYSQL_RAIN_EXPORT_MIGRATION,
  MYSQL_INSTALL_MIGRATION, // issue 5
  MYSQL_SIGNED_REQUESTS_MIGRATION, // issue 18
];
