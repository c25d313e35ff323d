/**
 * MySQL/MariaDB DDL, versioned. MySQL DDL commits implicitly, so a version cannot be applied
 * atomically: every statement must be safe to run again (IF NOT EXISTS; indexes inline in
 * CREATE TABLE, since MySQL 8 has no CREATE INDEX IF NOT EXISTS), and a version is recorded only
 * after all its statements ran. Append new versions; never edit one that has shipped.
 *
 * Collation utf8mb4_bin: keys compare byte for byte, as in SQLite, so order numbers that differ
 * only in letter case are different orders on both adapters.
 */
import { ALERT_KIND_LIST, REFILED_ALERTS } from '../shared/alert-kinds-migration.js';
import type { Migration } from '../shared/migration.js';
import { MYSQL_SUBSIDY_MIGRATION } from './subsidy-migrations.js';
import { MYSQL_RECON_B2C_MIGRATION, MYSQL_RECON_MIGRATION } from '../recon/recon-migrations.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INT NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  applied_at BIGINT NOT NULL
) ${TABLE_OPTIONS}`;

export const MYSQL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'packets, payment orders, claims, refund orders, tasks',
    statements: [
      `CREATE TABLE IF NOT EXISTS packets (
        id VARCHAR(64) NOT NULL,
        type VARCHAR(8) NOT NULL,
        sender_uid VARCHAR(64) NOT NULL,
        out_order_no VARCHAR(64) NOT NULL,
        total_amount BIGINT NOT NULL,
        total_count INT NOT NULL,
        remaining_amount BIGINT NOT NULL,
        remaining_count INT NOT NULL,
        split_mode VARCHAR(8) NOT NULL,
        status VARCHAR(16) NOT NULL,
        greeting VARCHAR(255) NOT NULL,
        pay_order_no VARCHAR(64) NULL,
        expires_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY packets_sender_order_uq (sender_uid, out_order_no),
        CONSTRAINT packets_type_ck CHECK (type IN ('c2c', 'b2c')),
        CONSTRAINT packets_split_ck CHECK (split_mode IN ('random', 'fixed')),
        CONSTRAINT packets_total_ck CHECK (total_count >= 1 AND total_count <= total_amount),
        CONSTRAINT packets_remaining_count_ck CHECK (remaining_count >= 0 AND remaining_count <= total_count),
        CONSTRAINT packets_remaining_amount_ck
          CHECK (remaining_amount >= remaining_count AND remaining_amount <= total_amount)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS payment_orders (
        pay_order_no VARCHAR(64) NOT NULL,
        packet_id VARCHAR(64) NOT NULL,
        payer_uid VARCHAR(64) NOT NULL,
        amount BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        provider_txn_id VARCHAR(128) NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (pay_order_no),
        KEY payment_orders_packet_idx (packet_id),
        CONSTRAINT payment_orders_amount_ck CHECK (amount >= 1)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS claims (
        claim_no VARCHAR(80) NOT NULL,
        packet_id VARCHAR(64) NOT NULL,
        uid VARCHAR(64) NOT NULL,
        seq INT NOT NULL,
        amount BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (claim_no),
        UNIQUE KEY claims_packet_uid_uq (packet_id, uid),
        UNIQUE KEY claims_packet_seq_uq (packet_id, seq),
        CONSTRAINT claims_seq_ck CHECK (seq >= 1),
        CONSTRAINT claims_amount_ck CHECK (amount >= 1)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS refund_orders (
        refund_no VARCHAR(64) NOT NULL,
        packet_id VARCHAR(64) NOT NULL,
        pay_order_no VARCHAR(64) NOT NULL,
        uid VARCHAR(64) NOT NULL,
        amount BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (refund_no),
        KEY refund_orders_packet_idx (packet_id),
        CONSTRAINT refund_orders_amount_ck CHECK (amount >= 1)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS tasks (
        id BIGINT NOT NULL AUTO_INCREMENT,
        kind VARCHAR(32) NOT NULL,
        ref VARCHAR(96) NOT NULL,
        status VARCHAR(16) NOT NULL,
        due_at BIGINT NOT NULL,
        attempts INT NOT NULL DEFAULT 0,
        last_error TEXT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY tasks_kind_ref_uq (kind, ref),
        KEY tasks_status_due_idx (status, due_at)
      ) ${TABLE_OPTIONS}`,
    ],
  },
  {
    version: 2,
    // ALTERs cannot say IF NOT EXISTS on MySQL 8: migrate.ts skips a column or index that exists.
    name: 'issue 4: task leases, alerts, indexes for the sweeper',
    statements: [
      `ALTER TABLE tasks ADD COLUMN lease_owner VARCHAR(128) NULL, ADD COLUMN lease_until BIGINT NULL`,
      `ALTER TABLE payment_orders ADD KEY payment_orders_status_created_idx (status, created_at)`,
      `ALTER TABLE claims ADD KEY claims_status_created_idx (status, created_at)`,
      `ALTER TABLE refund_orders ADD KEY refund_orders_status_created_idx (status, created_at)`,
      `CREATE TABLE IF NOT EXISTS alerts (
        id BIGINT NOT NULL AUTO_INCREMENT,
        kind VARCHAR(16) NOT NULL,
        ref VARCHAR(96) NOT NULL,
        message TEXT NOT NULL,
        attempts INT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY alerts_kind_ref_uq (kind, ref),
        CONSTRAINT alerts_kind_ck CHECK (kind IN ('payment', 'transfer', 'refund'))
      ) ${TABLE_OPTIONS}`,
    ],
  },
  MYSQL_SUBSIDY_MIGRATION,
  MYSQL_RECON_MIGRATION,
  MYSQL_RECON_B2C_MIGRATION,
  {
    version: 6,
    // the sweeper's scan of overdue expiries: active packets by expires_at (and id, its keyset);
    // a half-applied run skips the existing key (migrate.ts)
    name: 'sweeper: active packets by expiry',
    statements: [`ALTER TABLE packets ADD KEY packets_status_expires_idx (status, expires_at, id)`],
  },
  {
    version: 7,
    // the worker leases its lanes apart (transfers in batches, the other kinds one by one): each
    // lane's scan of due tasks reads and locks its own kinds' rows only, not every due task's
    name: 'worker lanes: due tasks by kind',
    statements: [`ALTER TABLE tasks ADD KEY tasks_status_kind_due_idx (status, kind, due_at)`],
  },
  {
    version: 8,
    // re-runnable: the old CHECK is dropped (already gone: skipped, see alreadyApplied), the new one
    // added, and the updates match nothing twice. Two statements, not one ALTER that drops and adds
    // the same name: that form is only known to work on MariaDB.
    name: 'alerts under the stuck order own kind',
    statements: [
      `ALTER TABLE alerts DROP CONSTRAINT alerts_kind_ck`,
      `ALTER TABLE alerts ADD CONSTRAINT alerts_kind_ck CHECK (kind IN (${ALERT_KIND_LIST}))`,
      ...REFILED_ALERTS,
    ],
  },
];
