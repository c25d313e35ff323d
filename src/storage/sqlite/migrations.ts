/**
 * SQLite DDL, versioned. STRICT tables reject a value of the wrong type (e.g. a float amount);
 * the CHECKs hold the money invariants even against a buggy writer.
 * Append new versions; never edit one that has shipped.
 */
import { ALERT_KIND_LIST, REFILED_ALERTS } from '../shared/alert-kinds-migration.js';
import type { Migration } from '../shared/migration.js';
import { SQLITE_SUBSIDY_MIGRATION } from './subsidy-migrations.js';
import { SQLITE_RECON_B2C_MIGRATION, SQLITE_RECON_MIGRATION } from '../recon/recon-migrations.js';

export const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'packets, payment orders, claims, refund orders, tasks',
    statements: [
      `CREATE TABLE IF NOT EXISTS packets (
        id TEXT PRIMARY KEY NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('c2c', 'b2c')),
        sender_uid TEXT NOT NULL,
        out_order_no TEXT NOT NULL,
        total_amount INTEGER NOT NULL CHECK (total_amount >= 1),
        total_count INTEGER NOT NULL CHECK (total_count >= 1 AND total_count <= total_amount),
        remaining_amount INTEGER NOT NULL,
        remaining_count INTEGER NOT NULL,
        split_mode TEXT NOT NULL CHECK (split_mode IN ('random', 'fixed')),
        status TEXT NOT NULL,
        greeting TEXT NOT NULL,
        pay_order_no TEXT,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (remaining_count >= 0 AND remaining_count <= total_count),
        CHECK (remaining_amount >= remaining_count AND remaining_amount <= total_amount)
      ) STRICT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS packets_sender_order_uq ON packets (sender_uid, out_order_no)`,
      `CREATE TABLE IF NOT EXISTS payment_orders (
        pay_order_no TEXT PRIMARY KEY NOT NULL,
        packet_id TEXT NOT NULL,
        payer_uid TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 1),
        status TEXT NOT NULL,
        provider_txn_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
      `CREATE INDEX IF NOT EXISTS payment_orders_packet_idx ON payment_orders (packet_id)`,
      `CREATE TABLE IF NOT EXISTS claims (
        claim_no TEXT PRIMARY KEY NOT NULL,
        packet_id TEXT NOT NULL,
        uid TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        amount INTEGER NOT NULL CHECK (amount >= 1),
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS claims_packet_uid_uq ON claims (packet_id, uid)`,
      `CREATE UNIQUE INDEX IF NOT EXISTS claims_packet_seq_uq ON claims (packet_id, seq)`,
      `CREATE TABLE IF NOT EXISTS refund_orders (
        refund_no TEXT PRIMARY KEY NOT NULL,
        packet_id TEXT NOT NULL,
        pay_order_no TEXT NOT NULL,
        uid TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 1),
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
      `CREATE INDEX IF NOT EXISTS refund_orders_packet_idx ON refund_orders (packet_id)`,
      `CREATE TABLE IF NOT EXISTS tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        status TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS tasks_kind_ref_uq ON tasks (kind, ref)`,
      `CREATE INDEX IF NOT EXISTS tasks_status_due_idx ON tasks (status, due_at)`,
    ],
  },
  {
    version: 2,
    name: 'issue 4: task leases, alerts, indexes for the sweeper',
    statements: [
      `ALTER TABLE tasks ADD COLUMN lease_owner TEXT`,
      `ALTER TABLE tasks ADD COLUMN lease_until INTEGER`,
      `CREATE INDEX IF NOT EXISTS payment_orders_status_created_idx ON payment_orders (status, created_at)`,
      `CREATE INDEX IF NOT EXISTS claims_status_created_idx ON claims (status, created_at)`,
      `CREATE INDEX IF NOT EXISTS refund_orders_status_created_idx ON refund_orders (status, created_at)`,
      `CREATE TABLE IF NOT EXISTS alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'transfer', 'refund')),
        ref TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS alerts_kind_ref_uq ON alerts (kind, ref)`,
    ],
  },
  SQLITE_SUBSIDY_MIGRATION,
  SQLITE_RECON_MIGRATION,
  SQLITE_RECON_B2C_MIGRATION,
  {
    version: 6,
    // the sweeper's scan of overdue expiries: active packets by expires_at (and id, its keyset)
    name: 'sweeper: active packets by expiry',
    statements: [`CREATE INDEX IF NOT EXISTS packets_status_expires_idx ON packets (status, expires_at, id)`],
  },
  {
    version: 7,
    // the worker leases its lanes apart: each lane's scan of due tasks reads its own kinds' rows
    name: 'worker lanes: due tasks by kind',
    statements: [`CREATE INDEX IF NOT EXISTS tasks_status_kind_due_idx ON tasks (status, kind, due_at)`],
  },
  {
    version: 8,
    // a CHECK cannot be altered in SQLite: the table is rebuilt (in the migration's transaction)
    name: 'alerts under the stuck order own kind',
    statements: [
      `CREATE TABLE alerts_v8 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN (${ALERT_KIND_LIST})),
        ref TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT`,
      `INSERT INTO alerts_v8 (id, kind, ref, message, attempts, created_at)
        SELECT id, kind, ref, message, attempts, created_at FROM alerts`,
      `DROP TABLE alerts`,
      `ALTER TABLE alerts_v8 RENAME TO alerts`,
      `CREATE UNIQUE INDEX IF NOT EXISTS alerts_kind_ref_uq ON alerts (kind, ref)`,
      ...REFILED_ALERTS,
    ],
  },
];
