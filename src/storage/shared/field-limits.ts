/**
 * Column sizes shared by every dialect. SQLite would store longer text, MySQL would refuse it;
 * checking here makes both adapters answer the same VALIDATION_FAILED before anything is written.
 * Lengths are in characters (code points), as MySQL's VARCHAR counts them.
 */
import { RedpktError } from '../../domain/errors.js';
import type { NewC2cPacket } from '../../domain/ports.js';

export const FIELD_LIMITS = {
  /** Packet ids, uids, out_order_no, pay_order_no, refund_no. */
  key: 64,
  greeting: 255,
} as const;

function tooLong(value: string, max: number): boolean {
  // cheap pre-check first: code points <= UTF-16 units
  return value.length > max && [...value].length > max;
}

function check(field: string, value: string, max: number): void {
  if (value.length === 0 || tooLong(value, max)) {
    throw new RedpktError('VALIDATION_FAILED', `${field} must be 1 to ${max} characters`, {
      details: { fields: [field] },
    });
  }
}

export function assertC2cFieldsFit(input: NewC2cPacket): void {
  check('id', input.id, FIELD_LIMITS.key);
  check('senderUid', input.senderUid, FIELD_LIMITS.key);
  check('outOrderNo', input.outOrderNo, FIELD_LIMITS.key);
  check('payOrderNo', input.payOrderNo, FIELD_LIMITS.key);
  if (tooLong(input.greeting, FIELD_LIMITS.greeting)) {
    throw new RedpktError(
      'VALIDATION_FAILED',
      `greeting must be at most ${FIELD_LIMITS.greeting} characters`,
      {
        details: { fields: ['greeting'] },
      },
    );
  }
}

export function assertUidsFit(uids: readonly string[]): void {
  for (const uid of uids) check('uid', uid, FIELD_LIMITS.key);
}
