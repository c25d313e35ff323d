/** Issue 8 / 22: the shape of a reconciliation report (plain JSON, STYLE rule 10). */
import type { Fen } from '../domain/money.js';
import type { GrantReport } from './grant-types.js';
import type { InvariantTotals } from './invariants.js';
import type { ReconLane } from './lane.js';
import type { ReconType } from './sql-statements.js';
import type { Category, CategoryTotal, Discrepancy, ReconOrderKind, Totals } from './types.js';
import type { ReconWindow } from './window.js';

export type CheckStatus = 'ok' | 'violated' | 'not_computable';

export interface B2cCheck {
  name: string;
  status: CheckStatus;
  /** Our number, when the check compares it with the issuer's (else null: see left / right). */
  ours: number | null;
  theirs: number | null;
  /** The two sides of the check, named (issue 17: two of our own numbers are not ours / theirs). */
  left: { label: string; value: number };
  right: { label: string; value: number };
  note: string;
}

/** Per category, the orders of each kind (a payment brings money in, a transfer takes it out). */
export type KindTotals = Record<Category, Partial<Record<ReconOrderKind, CategoryTotal>>>;

/** C2C money still held at the end of the window: paid - transferred - refunded, settled orders. */
export interface Held {
  paid: Fen;
  transferred: Fen;
  refunded: Fen;
  fen: Fen;
}

export interface ReconReport {
  /** The window, with its bounds also as ISO strings. */
  window: ReconWindow & { from: string; to: string };
  type: ReconType;
  /** `shadow`: both sides read from the shadow (load-test) lane's books. */
  lane: ReconLane;
  cutoffMs: number;
  /**
   * Issue 17: the window (plus the cut-off) was not over when the report ran: its numbers may
   * still change; `clean` then means "clean so far".
   */
  provisional: boolean;
  /** When the window is over: its end plus the cut-off (ISO). */
  closesAt: string;
  clean: boolean;
  /** Order and grant discrepancies plus invariant violations. */
  discrepancyCount: number;
  /** Per category: every kind together (`byKind` splits them). */
  totals: Totals;
  byKind: KindTotals;
  /** C2C (type c2c or all): what is still held at the end of the window. */
  held: Held | null;
  c2c: InvariantTotals | null;
  b2c: B2cCheck[] | null;
  /** B2C: the issuer's grants against our booked subsidies, per category and per campaign. */
  grants: GrantReport | null;
  /** B2C: every packet's invariants (subsidy spent == amount == credited + returned). */
  b2cPackets: InvariantTotals | null;
  /** Provider movements that belong to another window or type (not judged here). */
  outOfScope: number;
  notes: string[];
  /** The first `keep` discrepancies: orders by time, then grants, campaigns, B2C and C2C packets. */
  discrepancies: Discrepancy[];
}
