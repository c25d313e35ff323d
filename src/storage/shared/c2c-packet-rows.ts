/** The rows a new C2C packet writes, and what makes a repeated create "the same order". */
import type { PaymentOrder } from '../../domain/order.js';
import type { Packet } from '../../domain/packet.js';
import type { NewC2cPacket } from '../../domain/ports.js';
import type { NewTask } from './store-dialect.js';

/** The delayed re-check that settles an order whose pay callback never came (DESIGN §6). */
export const PAYMENT_RECHECK_DELAY_MS = 30_000;

export interface C2cPacketRows {
  packet: Packet;
  payment: PaymentOrder;
  recheck: NewTask;
}

export function c2cPacketRows(input: NewC2cPacket): C2cPacketRows {
  const packet: Packet = {
    id: input.id,
    type: 'c2c',
    senderUid: input.senderUid,
    outOrderNo: input.outOrderNo,
    totalAmount: input.totalAmount,
    totalCount: input.totalCount,
    remainingAmount: input.totalAmount,
    remainingCount: input.totalCount,
    splitMode: input.splitMode,
    status: 'unpaid',
    greeting: input.greeting,
    payOrderNo: input.payOrderNo,
    expiresAt: input.expiresAt,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const payment: PaymentOrder = {
    payOrderNo: input.payOrderNo,
    packetId: input.id,
    payerUid: input.senderUid,
    amount: input.totalAmount,
    status: 'pending',
    providerTxnId: null,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const recheck: NewTask = {
    kind: 'payment_recheck',
    ref: input.payOrderNo,
    dueAt: input.recheckAt ?? input.now + PAYMENT_RECHECK_DELAY_MS,
    now: input.now,
  };
  return { packet, payment, recheck };
}

/**
 * A retried create carries fresh ids, payOrderNo, expiresAt and now (the caller generates them per
 * attempt); what the sender asked for is the amount, the count, the split, the greeting and the
 * lifetime (expiresAt - now: see `sameLifetime`).
 */
export function sameC2cBody(stored: Packet, input: NewC2cPacket): boolean {
  return (
    stored.type === 'c2c' &&
    sameLifetime(stored, input) &&
    stored.totalAmount === input.totalAmount &&
    stored.totalCount === input.totalCount &&
    stored.splitMode === input.splitMode &&
    stored.greeting === input.greeting
  );
}

/**
 * Whether a retried create asked for the same lifetime (`expiresInSec`): a packet's expiry is set
 * once, at creation, as createdAt + lifetime, so the stored pair gives the lifetime back.
 */
export function sameLifetime(stored: Packet, input: { expiresAt: number; now: number }): boolean {
  return stored.expiresAt - stored.createdAt === input.expiresAt - input.now;
}
