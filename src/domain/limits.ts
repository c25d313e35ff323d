import type { Fen } from './money.js';
import { RedpktError } from './errors.js';

export interface PacketLimits {
  minCount: number;
  maxCount: number;
  /** Per packet, in fen. */
  maxAmount: Fen;
  /** Average share may not exceed this (a cap on a single share is the usual regulation). */
  maxShare: Fen;
  minExpiresInSec: number;
  maxExpiresInSec: number;
  defaultExpiresInSec: number;
}

export const DEFAULT_LIMITS: PacketLimits = {
  minCount: 1,
  maxCount: 10_000,
  maxAmount: 20_000_00, // 20,000.00 yuan
  maxShare: 200_00, // 200.00 yuan, the usual cap on one share
  minExpiresInSec: 1,
  maxExpiresInSec: 7 * 24 * 3600,
  defaultExpiresInSec: 24 * 3600,
};

/** Checks what a schema cannot: relations between fields and configured limits. */
export function validatePacketShape(
  totalAmount: Fen,
  totalCount: number,
  expiresInSec: number,
  limits: PacketLimits = DEFAULT_LIMITS,
): void {
  const bad = (message: string, field: string): never => {
    throw new RedpktError('VALIDATION_FAILED', message, { details: { fields: [field] } });
  };
  if (!Number.isSafeInteger(totalCount) || totalCount < limits.minCount || totalCount > limits.maxCount) {
    bad(`totalCount must be an integer from ${limits.minCount} to ${limits.maxCount}`, 'totalCount');
  }
  if (!Number.isSafeInteger(totalAmount) || totalAmount < 1 || totalAmount > limits.maxAmount) {
    bad(`totalAmount must be an integer number of fen from 1 to ${limits.maxAmount}`, 'totalAmount');
  }
  if (totalAmount < totalCount) bad('totalAmount must give every share at least 1 fen', 'totalAmount');
  if (Math.ceil(totalAmount / totalCount) > limits.maxShare) {
    bad(`the average share may not exceed ${limits.maxShare} fen`, 'totalAmount');
  }
  if (
    !Number.isSafeInteger(expiresInSec) ||
    expiresInSec < limits.minExpiresInSec ||
    expiresInSec > limits.maxExpiresInSec
  ) {
    bad(`expiresInSec must be from ${limits.minExpiresInSec} to ${limits.maxExpiresInSec}`, 'expiresInSec');
  }
}
