/** Finance's SQLite schema, one statement per string. Applied versions go to schema_migrations. */
import type { Migration } from '../dialect.js';
import { SQLITE_INSTALL_MIGRATION } from './install-migrations.js';
import { SQLITE_RAIN_EXPORT_MIGRATION, SQLITE_RAIN_MIGRATION } from './rain-migrations.js';

export const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, orders, ledger',
    statements: [
      `CREATE TABLE IF NOT EXISTS accounts (
        id TEXT PRIMARY KEY,
        balance INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (balance >= 0 OR id = 'issuer')
      )`,
      `CREATE TABLE IF NOT EXISTS orders (
        order_no TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'transfer', 'refund')),
        uid TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'closed')),
        txn_id TEXT,
        pay_order_no TEXT,
        subject TEXT NOT NULL DEFAULT '',
        notify_url TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS orders_pay_order_no ON orders (pay_order_no)`,
      `CREATE TABLE IF NOT EXISTS ledger_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id TEXT NOT NULL,
        order_no TEXT NOT NULL,
        kind TEXT NOT NULL,
        account TEXT NOT NULL,
        direction TEXT NOT NULL,
        amount INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        CHECK ((direction = 'debit' AND amount < 0) OR (direction = 'credit' AND amount > 0))
      )`,
      `CREATE INDEX IF NOT EXISTS ledger_entries_created_at ON ledger_entries (created_at)`,
      `CREATE INDEX IF NOT EXISTS ledger_entries_account ON ledger_entries (account)`,
      `CREATE INDEX IF NOT EXISTS ledger_entries_order_no ON ledger_entries (order_no)`,
      // The ledger is append-only, enforced by the database and not only by the code.
      `CREATE TRIGGER IF NOT EXISTS ledger_entries_no_update BEFORE UPDATE ON ledger_entries
       BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END`,
      `CREATE TRIGGER IF NOT EXISTS ledger_entries_no_delete BEFORE DELETE ON ledger_entries
       BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END`,
      `INSERT INTO accounts (id, balance, created_at, updated_at) VALUES ('issuer', 0, 0, 0)
       ON CONFLICT (id) DO NOTHING`,
    ],
  },
  SQLITE_RAIN_MIGRATION,
  SQLITE_RAIN_EXPORT_MIGRATION,
  SQLITE_INSTALL_MIGRATION, // issue 5
];
