import type { Fen } from './money.js';
import type { Transitions } from './state-machine.js';

/** Our side of a payment order at finance (the sender paying for a C2C packet). */
export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'closed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_TRANSITIONS: Transitions<PaymentStatus> = {
  pending: ['paid', 'failed', 'closed'],
  paid: [],
  failed: [],
  closed: [],
};

export interface PaymentOrder {
  payOrderNo: string;
  packetId: string;
  payerUid: string;
  amount: Fen;
  status: PaymentStatus;
  providerTxnId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A refund of a packet's unclaimed remainder to its sender. */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const REFUND_TRANSITIONS: Transitions<RefundStatus> = {
  pending: ['succeeded', 'failed'],
  failed: ['pending'],
  succeeded: [],
};

export interface RefundOrder {
  refundNo: string;
  packetId: string;
  payOrderNo: string;
  uid: string;
  amount: Fen;
  status: RefundStatus;
  createdAt: number;
  updatedAt: number;
}

export function refundNoFor(packetId: string): string {
  return `${packetId}-R`;
}
