import type { Fen } from './money.js';

export type SplitMode = 'random' | 'fixed';

/** A source of uniform integers in [0, n). Injected so splits are reproducible in tests and load runs. */
export type RandomInt = (n: number) => number;

export const cryptoRandomInt: RandomInt = (n) => {
  // Math.random is fine for fairness here (no security property rides on a share), and fast.
  return Math.floor(Math.random() * n);
};

/**
 * The share of the next claimer, computed at claim time from what is left.
 *
 * - `fixed`: an even split; the remainder is spread 1 fen at a time over the first claimers,
 *   so every share is floor(total/count) or that plus 1, and shares never rise later.
 * - `random` ("double mean"): uniform in [1, 2 * remaining / remainingCount) fen, capped so
 *   every later claimer can still get 1 fen; the last share takes the rest.
 *
 * Invariants (property-tested): every share >= 1 fen and the shares sum to the total exactly.
 */
export function nextShare(
  mode: SplitMode,
  remainingAmount: Fen,
  remainingCount: number,
  random: RandomInt = cryptoRandomInt,
): Fen {
  if (!Number.isSafeInteger(remainingAmount) || !Number.isSafeInteger(remainingCount)) {
    throw new RangeError('remaining amount and count must be integers');
  }
  if (remainingCount < 1) throw new RangeError('no shares left');
  if (remainingAmount < remainingCount) throw new RangeError('less than 1 fen per remaining share');
  if (remainingCount === 1) return remainingAmount;
  if (mode === 'fixed') return Math.ceil(remainingAmount / remainingCount);
  // Upper bound (exclusive) of the double mean, and never so much that a later share gets < 1 fen.
  const doubleMean = Math.floor((2 * remainingAmount) / remainingCount);
  const cap = remainingAmount - (remainingCount - 1);
  const upper = Math.min(Math.max(doubleMean, 2), cap + 1); // exclusive
  return 1 + random(upper - 1);
}

/** All shares in claim order, as the claim path would hand them out. For tests and previews. */
export function splitAll(
  mode: SplitMode,
  total: Fen,
  count: number,
  random: RandomInt = cryptoRandomInt,
): Fen[] {
  const shares: Fen[] = [];
  let amount = total;
  for (let left = count; left > 0; left--) {
    const share = nextShare(mode, amount, left, random);
    shares.push(share);
    amount -= share;
  }
  return shares;
}
