/**
 * Issue 4: the pure rules of settlement, shared by every dialect: which states are unsettled, and
 * how a status moves towards a target without ever going backwards.
 */
import { CLAIM_STATUSES, CLAIM_TRANSITIONS } from '../../domain/claim.js';
import {
  PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
  REFUND_STATUSES,
  REFUND_TRANSITIONS,
} from '../../domain/order.js';
import type { OrderKind } from '../../domain/ports.js';
import {
  B2C_RETURN_STATUSES,
  B2C_RETURN_TRANSITIONS,
  WITHDRAWAL_STATUSES,
  WITHDRAWAL_TRANSITIONS,
} from '../../domain/subsidy.js';
import { canTransition, isFinal, type Transitions } from '../../domain/state-machine.js';

const nonFinal = <S extends string>(all: readonly S[], table: Transitions<S>): readonly S[] =>
  all.filter((s) => !isFinal(table, s));

/** The states the sweeper looks at: every state that still has somewhere to go. */
export const UNSETTLED_STATUSES: Readonly<Record<OrderKind, readonly string[]>> = {
  payment: nonFinal(PAYMENT_STATUSES, PAYMENT_TRANSITIONS),
  transfer: nonFinal(CLAIM_STATUSES, CLAIM_TRANSITIONS),
  refund: nonFinal(REFUND_STATUSES, REFUND_TRANSITIONS),
  withdrawal: nonFinal(WITHDRAWAL_STATUSES, WITHDRAWAL_TRANSITIONS),
  b2c_return: nonFinal(B2C_RETURN_STATUSES, B2C_RETURN_TRANSITIONS),
  // A packet whose expiry is overdue is `active` (its expiresAt past, the dialects' scan says so).
  // Not `expired`: both expiries go on to refunding in the same transaction, and an expired C2C
  // packet is one expirePacket leaves alone, so its task would be revived for ever.
  expiry: ['active'],
};

/**
 * The steps from `from` towards `to`: none when it is already there, final, or the step would go
 * backwards (a late or duplicate event); one direct step; or two steps through `via` (e.g. a claim
 * that is `claimed` goes to `transferred` through `transferring`).
 */
export function stepsTowards<S extends string>(table: Transitions<S>, from: S, to: S, via: S): S[] {
  if (from === to || isFinal(table, from)) return [];
  if (canTransition(table, from, to)) return [to];
  if (via !== from && canTransition(table, from, via) && canTransition(table, via, to)) return [via, to];
  return [];
}
