import type { Fen } from './money.js';
import type { SplitMode } from './split.js';
import type { Transitions } from './state-machine.js';

export type PacketType = 'c2c' | 'b2c';

export const PACKET_STATUSES = [
  'unpaid',
  'active',
  'exhausted',
  'expired',
  'refunding',
  'refunded',
  'closed',
] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];

/**
 * unpaid -> active -> exhausted | expired -> refunding -> refunded; unpaid -> closed.
 * `exhausted` is final: nothing is left to refund. An expired packet with nothing left
 * cannot happen (it would be exhausted), so `expired` always leads to a refund.
 */
export const PACKET_TRANSITIONS: Transitions<PacketStatus> = {
  unpaid: ['active', 'closed'],
  active: ['exhausted', 'expired'],
  expired: ['refunding'],
  refunding: ['refunded'],
  exhausted: [],
  refunded: [],
  closed: [],
};

export interface Packet {
  id: string;
  type: PacketType;
  senderUid: string;
  outOrderNo: string;
  totalAmount: Fen;
  totalCount: number;
  remainingAmount: Fen;
  remainingCount: number;
  splitMode: SplitMode;
  status: PacketStatus;
  greeting: string;
  /** C2C: the payment order at finance; B2C: null. */
  payOrderNo: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}
