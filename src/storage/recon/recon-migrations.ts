/**
 * Issue 8: version 4 of the packet store's schema, per dialect: the stored reconciliation reports
 * and the (created_at, order number) indexes that let recon walk a window with keyset pagination.
 */
import type { Migration } from '../shared/migration.js';

export const SQLITE_RECON_MIGRATION: Migration = {
  version: 4,
  name: 'issue 8: recon reports, window indexes',
  statements: [
    `CREATE TABLE IF NOT EXISTS recon_reports (
      window_key TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('c2c', 'b2c', 'all')),
      from_ms INTEGER NOT NULL,
      to_ms INTEGER NOT NULL,
      clean INTEGER NOT NULL CHECK (clean IN (0, 1)),
      discrepancies INTEGER NOT NULL,
      report TEXT NOT NULL,
      ran_at INTEGER NOT NULL,
      PRIMARY KEY (window_key, type)
    ) STRICT`,
    `CREATE INDEX IF NOT EXISTS recon_reports_ran_idx ON recon_reports (ran_at)`,
    `CREATE INDEX IF NOT EXISTS payment_orders_created_idx ON payment_orders (created_at, pay_order_no)`,
    `CREATE INDEX IF NOT EXISTS claims_created_idx ON claims (created_at, claim_no)`,
    `CREATE INDEX IF NOT EXISTS refund_orders_created_idx ON refund_orders (created_at, refund_no)`,
    `CREATE INDEX IF NOT EXISTS withdrawals_created_idx ON withdrawals (created_at, withdrawal_no)`,
    `CREATE INDEX IF NOT EXISTS packets_type_created_idx ON packets (type, created_at, id)`,
  ],
};

export const MYSQL_RECON_MIGRATION: Migration = {
  version: 4,
  // ADD KEY cannot say IF NOT EXISTS on MySQL 8: migrate.ts skips an index that exists.
  name: 'issue 8: recon reports, window indexes',
  statements: [
    `CREATE TABLE IF NOT EXISTS recon_reports (
      window_key VARCHAR(64) NOT NULL,
      type VARCHAR(8) NOT NULL,
      from_ms BIGINT NOT NULL,
      to_ms BIGINT NOT NULL,
      clean TINYINT NOT NULL,
      discrepancies BIGINT NOT NULL,
      report LONGTEXT NOT NULL,
      ran_at BIGINT NOT NULL,
      PRIMARY KEY (window_key, type),
      KEY recon_reports_ran_idx (ran_at),
      CONSTRAINT recon_reports_type_ck CHECK (type IN ('c2c', 'b2c', 'all'))
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    `ALTER TABLE payment_orders ADD KEY payment_orders_created_idx (created_at, pay_order_no)`,
    `ALTER TABLE claims ADD KEY claims_created_idx (created_at, claim_no)`,
    `ALTER TABLE refund_orders ADD KEY refund_orders_created_idx (created_at, refund_no)`,
    `ALTER TABLE withdrawals ADD KEY withdrawals_created_idx (created_at, withdrawal_no)`,
    `ALTER TABLE packets ADD KEY packets_type_created_idx (type, created_at, id)`,
  ],
};

/**
 * Issue 8, version 5: keyset indexes for the B2C side (booked subsidies by the issuer's issued_at,
 * remainders returned to the issuer by creation), and the lane of a stored report (`recon
 * --shadow` runs are kept apart from the real lane's, one per window, type and lane).
 */
export const SQLITE_RECON_B2C_MIGRATION: Migration = {
  version: 5,
  name: 'issue 8: subsidy and return window indexes, report lane',
  statements: [
    `CREATE INDEX IF NOT EXISTS subsidies_issued_idx ON subsidies (issued_at, out_grant_no)`,
    `CREATE INDEX IF NOT EXISTS b2c_returns_created_idx ON b2c_returns (created_at, return_no)`,
    // SQLite cannot change a primary key in place: rebuild the table (one transaction)
    `CREATE TABLE recon_reports_v5 (
      window_key TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('c2c', 'b2c', 'all')),
      lane TEXT NOT NULL DEFAULT 'real' CHECK (lane IN ('real', 'shadow')),
      from_ms INTEGER NOT NULL,
      to_ms INTEGER NOT NULL,
      clean INTEGER NOT NULL CHECK (clean IN (0, 1)),
      discrepancies INTEGER NOT NULL,
      report TEXT NOT NULL,
      ran_at INTEGER NOT NULL,
      PRIMARY KEY (window_key, type, lane)
    ) STRICT`,
    `INSERT INTO recon_reports_v5 (window_key, type, lane, from_ms, to_ms, clean, discrepancies, report, ran_at)
      SELECT window_key, type, 'real', from_ms, to_ms, clean, discrepancies, report, ran_at FROM recon_reports`,
    `DROP TABLE recon_reports`,
    `ALTER TABLE recon_reports_v5 RENAME TO recon_reports`,
    `CREATE INDEX IF NOT EXISTS recon_reports_ran_idx ON recon_reports (ran_at)`,
  ],
};

export const MYSQL_RECON_B2C_MIGRATION: Migration = {
  version: 5,
  // a half-applied run skips what exists (duplicate key/column: migrate.ts); the ALTER of
  // recon_reports is one statement, so it is applied whole or not at all
  name: 'issue 8: subsidy and return window indexes, report lane',
  statements: [
    `ALTER TABLE subsidies ADD KEY subsidies_issued_idx (issued_at, out_grant_no)`,
    `ALTER TABLE b2c_returns ADD KEY b2c_returns_created_idx (created_at, return_no)`,
    `ALTER TABLE recon_reports
      ADD COLUMN lane VARCHAR(8) NOT NULL DEFAULT 'real' AFTER type,
      DROP PRIMARY KEY,
      ADD PRIMARY KEY (window_key, type, lane),
      ADD CONSTRAINT recon_reports_lane_ck CHECK (lane IN ('real', 'shadow'))`,
  ],
};
