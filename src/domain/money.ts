/** Money is an integer number of fen (1 yuan = 100 fen). Never a float, never a string. */
export type Fen = number;

export const MAX_SAFE_FEN = Number.MAX_SAFE_INTEGER;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: unknown, what = 'amount'): asserts value is Fen {
  if (!isFen(value)) throw new TypeError(`${what} must be an integer number of fen, got ${String(value)}`);
}

/** 888 -> "8.88" for people; never used for arithmetic. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
