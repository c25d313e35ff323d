/** The plain SQL runner the recon reads go through (SQLite and MySQL/MariaDB), and row readers. */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** What a dialect gives the recon store: run one statement, get plain rows back. */
export interface SqlRunner {
  all(sql: string, args: readonly SqlValue[]): Promise<SqlRow[]>;
  run(sql: string, args: readonly SqlValue[]): Promise<void>;
  close(): Promise<void>;
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const str = (v: unknown): string => String(v);

/** A keyset page's lower bound: the window's start, or the previous page's last time (never before the start). */
export const seekFrom = (fromMs: number, afterMs: number | undefined): number =>
  afterMs === undefined ? fromMs : Math.max(fromMs, afterMs);
