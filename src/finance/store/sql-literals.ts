/**
 * Issue 5: bulk statements for installing fixture accounts (up to 1,000 users, 2,000 ledger rows a
 * batch) written as literals instead of placeholders: building thousands of bound parameters cost
 * most of a batch's time (drizzle's SQL builder and libsql's prepare, measured with --cpu-prof).
 * Safe by construction: a string literal may only hold `A-Za-z0-9_.:-` (no quote, no backslash,
 * in either dialect), a number must be a safe integer; anything else throws before any SQL runs.
 */
import { RedpktError } from '../../domain/errors.js';

const SAFE_TEXT = /^[A-Za-z0-9_.:-]*$/;

export type Literal = string | number;

export function literal(v: Literal): string {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RedpktError('INTERNAL', `not a safe integer literal: ${v}`);
    return String(v);
  }
  if (!SAFE_TEXT.test(v)) throw new RedpktError('INTERNAL', `not a safe text literal: ${JSON.stringify(v)}`);
  return `'${v}'`;
}

/** `(a, b), (c, d)` */
export function valuesList(rows: readonly (readonly Literal[])[]): string {
  return rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ');
}

/** `(a, b, c)` for IN */
export function inList(values: readonly Literal[]): string {
  return `(${values.map(literal).join(', ')})`;
}
