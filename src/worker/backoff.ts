/**
 * Exponential backoff with jitter: the n-th retry (n >= 1) waits between half and all of
 * min(maxMs, baseMs * 2^(n-1)), so workers that failed together do not retry together.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
