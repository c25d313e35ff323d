/**
 * How much money one finance account may hold, and what a single request may ask for.
 *
 * The ledger sums to 0 and only the issuer may go below 0, so every other balance is at most the
 * issuer's debt: keeping the issuer at or above -MAX_SAFE_INTEGER keeps every balance a JS safe
 * integer. Past that, libsql refuses to read the row (every account opening reads the issuer's) and
 * mysql2 hands back imprecise numbers, so finance would answer 500 forever. Every ledger movement
 * therefore checks both sides under the transaction's locks and refuses, writing nothing, a
 * movement that would take an account past the bound.
 */
import { RedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import type { Account } from './types.js';

/** No account balance leaves [-BALANCE_BOUND, BALANCE_BOUND]. */
export const BALANCE_BOUND: Fen = Number.MAX_SAFE_INTEGER;

/**
 * The largest campaign budget, grant amount and returned remainder the wire takes: 10^13 fen
 * (100 billion yuan), far above any real campaign, so that about 900 campaigns at the cap still
 * fit in the issuer's range. (Installed fixture balances are capped lower, at 10^12 fen each.)
 */
export const MAX_WIRE_FEN: Fen = 10_000_000_000_000;

/**
 * The balance `account` would have after adding `delta`; VALIDATION_FAILED (400) when that leaves
 * ±BALANCE_BOUND. Callers check every account a movement touches before writing any of them.
 */
export function balanceAfter(account: Pick<Account, 'id' | 'balance'>, delta: Fen): Fen {
  const next = account.balance + delta;
  // For safe operands a sum beyond the bound never rounds back inside it, so this check is exact.
  if (!Number.isSafeInteger(next) || Math.abs(next) > BALANCE_BOUND) {
    throw new RedpktError(
      'VALIDATION_FAILED',
      `account ${account.id} holds ${account.balance} fen; moving ${delta} fen would take it past the ledger's bound of ±${BALANCE_BOUND} fen`,
      { details: { account: account.id, balance: account.balance, delta, bound: BALANCE_BOUND } },
    );
  }
  return next;
}
