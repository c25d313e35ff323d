/**
 * The ports: what the services need from the outside world, in domain terms.
 * Adapters (src/storage/*, src/finance/client.ts) own connections and transactions;
 * no port exposes a transaction or a connection (STYLE rule 3).
 */
import type { Claim } from './claim.js';
import type { Fen } from './money.js';
import type { Packet } from './packet.js';
import type { PaymentOrder, RefundOrder } from './order.js';
import type { SplitMode } from './split.js';
import type { RandomInt } from './split.js';

// ---------------------------------------------------------------- packet store

export interface NewC2cPacket {
  id: string;
  senderUid: string;
  outOrderNo: string;
  totalAmount: Fen;
  totalCount: number;
  splitMode: SplitMode;
  greeting: string;
  expiresAt: number;
  payOrderNo: string;
  now: number;
}

export interface CreatePacketResult {
  packet: Packet;
  payment: PaymentOrder;
  /** false when (senderUid, outOrderNo) already existed with the same body: the stored packet. */
  created: boolean;
}

export interface MarkPaidResult {
  packet: Packet;
  payment: PaymentOrder;
  /** false when the payment was already paid (a replayed callback). */
  changed: boolean;
}

export type ClaimFailureCode =
  'PACKET_NOT_FOUND' | 'PACKET_NOT_ACTIVE' | 'PACKET_EXHAUSTED' | 'PACKET_EXPIRED';

export type ClaimOutcome =
  | { uid: string; ok: true; claim: Claim; created: boolean }
  | { uid: string; ok: false; code: ClaimFailureCode };

export interface ClaimSharesResult {
  /** One outcome per distinct uid asked for, in the order asked. */
  outcomes: ClaimOutcome[];
  /** The packet after the transaction (null when it does not exist). */
  packet: Packet | null;
}

/** Follow-up work written in the same transaction as the state change that needs it (outbox). */
export const TASK_KINDS = ['transfer', 'payment_recheck', 'expire', 'refund'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export type TaskStatus = 'pending' | 'done' | 'dead';

export interface Task {
  id: number;
  kind: TaskKind;
  /** What the task is about: a claimNo, payOrderNo, packetId or refundNo. Unique with kind. */
  ref: string;
  status: TaskStatus;
  dueAt: number;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface PacketStore {
  /** Creates the tables if they are missing; safe to run again. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Creates an unpaid C2C packet, its pending payment order and a `payment_recheck` task, in one
   * transaction. Idempotent by (senderUid, outOrderNo): the same body returns the stored packet
   * with created=false; a different body throws IDEMPOTENCY_CONFLICT.
   */
  createC2cPacket(input: NewC2cPacket): Promise<CreatePacketResult>;

  getPacket(packetId: string): Promise<Packet | null>;
  getPayment(payOrderNo: string): Promise<PaymentOrder | null>;

  /**
   * payment pending -> paid and packet unpaid -> active, plus an `expire` task due at expiresAt,
   * in one transaction. Idempotent: an already-paid order returns changed=false.
   * Throws ORDER_NOT_FOUND, ILLEGAL_TRANSITION (e.g. the order was closed), IDEMPOTENCY_CONFLICT
   * when the paid amount differs from the order.
   */
  markPaid(payOrderNo: string, paidAmount: Fen, providerTxnId: string, now: number): Promise<MarkPaidResult>;

  /**
   * The claim transaction for one packet and several claimers (DESIGN §3 step 2): lock the packet,
   * give every claimer who has no claim yet the next share, update the packet once, insert the
   * claims and their `transfer` tasks, commit. A uid that already claimed gets its claim back
   * (created=false). Shares come from nextShare(packet.splitMode, …, random).
   */
  claimShares(
    packetId: string,
    uids: readonly string[],
    now: number,
    random?: RandomInt,
  ): Promise<ClaimSharesResult>;

  getClaim(packetId: string, uid: string): Promise<Claim | null>;
  /** Every claim of a packet in claim order. */
  listClaims(packetId: string): Promise<Claim[]>;

  getRefund(refundNo: string): Promise<RefundOrder | null>;
  listTasks(filter?: { kind?: TaskKind; status?: TaskStatus }): Promise<Task[]>;
}

// ---------------------------------------------------------------- payment provider (finance)

export type ProviderOrderKind = 'payment' | 'transfer' | 'refund';
export type ProviderOrderStatus = 'pending' | 'succeeded' | 'failed' | 'closed';

export interface ProviderOrder {
  orderNo: string;
  kind: ProviderOrderKind;
  uid: string;
  amount: Fen;
  status: ProviderOrderStatus;
  /** The provider's transaction id once the money moved. */
  txnId: string | null;
  /** For refunds: the payment refunded. */
  payOrderNo: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What the provider sends to notifyUrl, signed (see src/finance/signature.ts). */
export interface ProviderEvent {
  eventId: string;
  type: 'order.updated';
  order: ProviderOrder;
  sentAt: number;
}

export interface PaymentProvider {
  /** Idempotent by payOrderNo. Returns the cashier URL where the payer pays. */
  createPayOrder(input: {
    payOrderNo: string;
    payerUid: string;
    amount: Fen;
    subject: string;
    notifyUrl: string;
  }): Promise<{ order: ProviderOrder; cashierUrl: string }>;
  /** Idempotent by transferNo: a retried transfer never pays twice. */
  transfer(input: {
    transferNo: string;
    uid: string;
    amount: Fen;
    notifyUrl: string;
  }): Promise<ProviderOrder>;
  /** Idempotent by refundNo; refunds part or all of a succeeded payment to its payer. */
  refund(input: {
    refundNo: string;
    payOrderNo: string;
    amount: Fen;
    notifyUrl: string;
  }): Promise<ProviderOrder>;
  /** null when the provider has never heard of the order. */
  queryOrder(orderNo: string): Promise<ProviderOrder | null>;
}
