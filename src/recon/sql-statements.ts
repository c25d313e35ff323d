/**
 * Issue 22: the recon SQL files (src/recon/sql/*.sql), split into statements with the window's
 * parameters written in as literals (Spark's `spark-sql -f` has no bind parameters, and printing
 * the statements for a window must give something runnable). Only integers and the fixed words
 * of `type` and `lane` are ever written in.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RedpktError } from '../domain/errors.js';
import type { ReconLane } from './lane.js';

export type ReconType = 'c2c' | 'b2c' | 'all';

export interface SqlParams {
  fromMs: number;
  toMs: number;
  cutoffMs: number;
  nowMs: number;
  type: ReconType;
  lane: ReconLane;
}

/** The look-ups first (they fill the *_refs tables), then the categories and invariants. */
export const LOOKUP_FILES = ['00-lookups.sql'] as const;
export const RECON_FILES = [
  '01-orders.sql',
  '02-grants.sql',
  '03-packets.sql',
  '04-discrepancies.sql',
] as const;

const cache = new Map<string, string>();

function fileText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(fileURLToPath(new URL(`./sql/${name}`, import.meta.url)), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * Statements of a file, comments dropped: a statement ends with `;` at the end of a line (no
 * string in the files holds `--`, nor a `;` at the end of a line).
 */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trimEnd())
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function literals(p: SqlParams): Record<string, string> {
  for (const [k, v] of Object.entries({
    fromMs: p.fromMs,
    toMs: p.toMs,
    cutoffMs: p.cutoffMs,
    nowMs: p.nowMs,
  })) {
    if (!Number.isSafeInteger(v)) throw new RedpktError('INTERNAL', `recon SQL: ${k} must be an integer`);
  }
  if (!['c2c', 'b2c', 'all'].includes(p.type) || !['real', 'shadow'].includes(p.lane))
    throw new RedpktError('INTERNAL', 'recon SQL: bad type or lane');
  return {
    from_ms: String(p.fromMs),
    to_ms: String(p.toMs),
    cutoff_ms: String(p.cutoffMs),
    now_ms: String(p.nowMs),
    type: `'${p.type}'`,
    lane: `'${p.lane}'`,
  };
}

export function bind(statement: string, p: SqlParams): string {
  const values = literals(p);
  return statement.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new RedpktError('INTERNAL', `recon SQL: unknown parameter ${whole}`);
    return v;
  });
}

export function statementsOf(files: readonly string[], p: SqlParams): string[] {
  return files.flatMap((f) => splitStatements(fileText(f)).map((s) => bind(s, p)));
}

/** The result tables, each read in a fixed order (the report, and the Spark comparison, read these). */
export const OUTPUT_QUERIES: readonly { table: string; sql: string }[] = [
  {
    table: 'recon_order_totals',
    sql: 'SELECT category, kind, n, fen FROM recon_order_totals ORDER BY category, kind',
  },
  { table: 'recon_out_of_scope', sql: 'SELECT n FROM recon_out_of_scope' },
  { table: 'recon_held', sql: 'SELECT paid, transferred, refunded FROM recon_held' },
  { table: 'recon_grant_totals', sql: 'SELECT category, n, fen FROM recon_grant_totals ORDER BY category' },
  {
    table: 'recon_campaigns',
    sql:
      'SELECT campaign, issued_n, issued_fen, booked_n, booked_fen, outstanding_n, outstanding_fen, ok ' +
      'FROM recon_campaigns ORDER BY campaign',
  },
  {
    table: 'recon_packet_totals',
    sql:
      'SELECT type, packets, final_packets, mocked_packets, shadow_packets, paid, transferred, refunded, claims, ' +
      'transfers, packet_amount, used_subsidies, used_amount FROM recon_packet_totals ORDER BY type',
  },
  {
    table: 'recon_discrepancies',
    sql:
      'SELECT section, category, order_no, kind, ours, theirs, detail FROM recon_discrepancies ' +
      'ORDER BY section, at_ms, sort_no, nth',
  },
];

/** The OUTPUT_QUERIES statement that reads one result table. */
export function outputQuery(table: string): string {
  const q = OUTPUT_QUERIES.find((x) => x.table === table);
  if (!q) throw new RedpktError('INTERNAL', `recon SQL: no output query for ${table}`);
  return q.sql;
}
