/**
 * Issue 22: the table layout both sides of a window are reconciled from, the same in the engine's
 * own tables (the live path), in the Parquet export (`redpkt recon export`) and for Spark. Money is
 * BIGINT fen, times are BIGINT epoch milliseconds (UTC; the export adds a `*_at` TIMESTAMP beside
 * them for people), lanes are `real` / `shadow`. docs/recon-layout.md describes every column.
 */
export type ColumnType = 'STRING' | 'BIGINT' | 'BOOLEAN';
export interface Column {
  name: string;
  type: ColumnType;
}

const col = (spec: string): Column[] =>
  spec
    .trim()
    .split(/\s*,\s*/)
    .map((c) => {
      const [name = '', type = ''] = c.split(/\s+/);
      return { name, type: type as ColumnType };
    });

/** `partition`: the time column the export's Hive partitions (dt=, hour=) are cut by. */
export interface TableSpec {
  columns: Column[];
  partition: string | null;
  /** The money column the manifest sums, if any. */
  fen: string | null;
}

export const LAYOUT = {
  /** Our orders created in the window: payments, transfers (claims, withdrawals), refunds, B2C returns. */
  orders: {
    columns: col(`order_no STRING, kind STRING, scope STRING, packet_id STRING, uid STRING, amount BIGINT,
      status STRING, mocked BOOLEAN, created_ms BIGINT, lane STRING`),
    partition: 'created_ms',
    fen: 'amount',
  },
  /** The provider's money movements (the credit side of each ledger transaction), window + cut-off. */
  ledger: {
    columns: col(`order_no STRING, kind STRING, txn_id STRING, amount BIGINT, created_ms BIGINT, seq BIGINT,
      lane STRING`),
    partition: 'created_ms',
    fen: 'amount',
  },
  /** The provider's own answer for an order of ours it moved no money for in the window (look-up). */
  provider_orders: {
    columns: col(`order_no STRING, amount BIGINT, status STRING`),
    partition: null,
    fen: 'amount',
  },
  /** Our order of that number in any window, for a movement with none of ours in this one (look-up). */
  order_refs: {
    columns: col(`order_no STRING, kind STRING, created_ms BIGINT`),
    partition: null,
    fen: null,
  },
  /** Every packet created in the window with its orders summed: the per-packet facts. */
  packets: {
    columns: col(`packet_id STRING, type STRING, status STRING, total_amount BIGINT, paid BIGINT,
      paid_orders BIGINT, transferred BIGINT, refunded BIGINT, claims BIGINT, transfers BIGINT,
      open_orders BIGINT, mocked BOOLEAN, created_ms BIGINT, lane STRING`),
    partition: 'created_ms',
    fen: 'total_amount',
  },
  /** Our booked subsidies the issuer issued in the window. */
  subsidies: {
    columns: col(`out_grant_no STRING, token_id STRING, uid STRING, campaign STRING, amount BIGINT,
      status STRING, issued_ms BIGINT, lane STRING`),
    partition: 'issued_ms',
    fen: 'amount',
  },
  /** The reward issuer's grants issued in the window. */
  grants: {
    columns: col(`out_grant_no STRING, token_id STRING, uid STRING, campaign STRING, amount BIGINT,
      issued_ms BIGINT, expires_ms BIGINT, lane STRING`),
    partition: 'issued_ms',
    fen: 'amount',
  },
  /** The issuer's grant of a number we booked but it did not issue in the window (look-up). */
  grant_refs: {
    columns: col(`out_grant_no STRING, token_id STRING, uid STRING, campaign STRING, amount BIGINT,
      issued_ms BIGINT, expires_ms BIGINT, lane STRING`),
    partition: null,
    fen: 'amount',
  },
  /** Our booked subsidy of a number the issuer issued but we did not book in the window (look-up). */
  subsidy_refs: {
    columns: col(`out_grant_no STRING, token_id STRING, uid STRING, campaign STRING, amount BIGINT,
      status STRING, issued_ms BIGINT, lane STRING`),
    partition: null,
    fen: 'amount',
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof LAYOUT;
export const TABLES = Object.keys(LAYOUT) as TableName[];

/** A row of a table, in its column order. */
export type Row = readonly (string | number | boolean | null)[];

/** The engine-neutral DDL of one table (DuckDB runs it; for Spark the Parquet files carry it). */
export function createTableSql(name: TableName, engineType: (t: ColumnType) => string = (t) => t): string {
  const cols = LAYOUT[name].columns.map((c) => `${c.name} ${engineType(c.type)}`).join(', ');
  return `CREATE TABLE ${name} (${cols})`;
}
