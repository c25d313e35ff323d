/**
 * The switch store's tables, beside the packet store's in the same database:
 * - ops_switches: the current value of every switch ever set (never set = off);
 * - ops_switch_audit: one row per change (who, when, old -> new, why, how);
 * - ops_mocked_orders: orders whose provider answer the service built itself (`mock payment`).
 * `CREATE … IF NOT EXISTS` only: run on every start, by every instance, and by the CLI.
 */
export const SQLITE_SWITCH_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ops_switches (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    reason TEXT,
    updated_by TEXT,
    updated_at INTEGER,
    PRIMARY KEY (kind, name)
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS ops_switch_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    old_value INTEGER NOT NULL,
    new_value INTEGER NOT NULL,
    actor TEXT NOT NULL,
    via TEXT NOT NULL,
    reason TEXT,
    at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX IF NOT EXISTS ops_switch_audit_switch_idx ON ops_switch_audit (kind, name, id)`,
  `CREATE TABLE IF NOT EXISTS ops_mocked_orders (
    order_no TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    packet_id TEXT,
    uid TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    txn_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX IF NOT EXISTS ops_mocked_orders_packet_idx ON ops_mocked_orders (packet_id, kind)`,
  `CREATE INDEX IF NOT EXISTS ops_mocked_orders_created_idx ON ops_mocked_orders (created_at, order_no)`,
];

export const MYSQL_SWITCH_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ops_switches (
    kind VARCHAR(16) NOT NULL,
    name VARCHAR(32) NOT NULL,
    value BIGINT NOT NULL,
    reason VARCHAR(255) NULL,
    updated_by VARCHAR(128) NULL,
    updated_at BIGINT NULL,
    PRIMARY KEY (kind, name),
    CONSTRAINT ops_switches_value_ck CHECK (value >= 0)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
  `CREATE TABLE IF NOT EXISTS ops_switch_audit (
    id BIGINT NOT NULL AUTO_INCREMENT,
    kind VARCHAR(16) NOT NULL,
    name VARCHAR(32) NOT NULL,
    old_value BIGINT NOT NULL,
    new_value BIGINT NOT NULL,
    actor VARCHAR(128) NOT NULL,
    via VARCHAR(16) NOT NULL,
    reason VARCHAR(255) NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (id),
    KEY ops_switch_audit_switch_idx (kind, name, id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
  `CREATE TABLE IF NOT EXISTS ops_mocked_orders (
    order_no VARCHAR(80) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    packet_id VARCHAR(64) NULL,
    uid VARCHAR(64) NOT NULL,
    amount BIGINT NOT NULL,
    txn_id VARCHAR(96) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (order_no),
    KEY ops_mocked_orders_packet_idx (packet_id, kind),
    KEY ops_mocked_orders_created_idx (created_at, order_no),
    CONSTRAINT ops_mocked_orders_amount_ck CHECK (amount >= 0)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
];
