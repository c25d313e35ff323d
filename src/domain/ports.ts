/**
 * The ports: what the services need from the outside world, in domain terms.
 * Adapters (src/storage/*, src/finance/client.ts) own connections and transactions;
 * no port exposes a transaction or a connection (STYLE rule 3).
 */
import type { Claim } from './claim.js';
import type { Fen } from './money.js';
import type { ErrorCode } from './errors.js';
import type { Packet } from './packet.js';
import type { PaymentOrder, RefundOrder } from './order.js';
import type { SplitMode } from './split.js';
import type { RandomInt } from './split.js';
import type {
  B2cReturn,
  SealedGrant,
  Subsidy,
  SubsidyBalance,
  SubsidyCredit,
  Withdrawal,
} from './subsidy.js';

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
  /** Issue 4: when the payment's first re-check is due (default now + 30 s). */
  recheckAt?: number;
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
  /**
   * Set when this packet's claimers were NOT served: the transaction that held them failed (only
   * `claimSharesMany` of a store that splits a group over several transactions answers this, see
   * there). Then `outcomes` is empty and `packet` null; nothing was written for this packet.
   */
  error?: unknown;
}

/** Claimers of one packet, one entry of a group claimed together (`PacketStore.claimSharesMany`). */
export interface ClaimRequest {
  packetId: string;
  uids: readonly string[];
}

/** Follow-up work written in the same transaction as the state change that needs it (outbox). */
export const TASK_KINDS = [
  'transfer',
  'payment_recheck',
  'expire',
  'refund',
  // issue 3: a subsidy withdrawal's transfer to the wallet (ref: withdrawalNo)
  'withdrawal',
] as const;
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
  /** The worker holding the task while `leaseUntil` is in the future (issue 4); null when free. */
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface PacketStore extends SettlementStore, SubsidyStore {
  /** Creates the tables if they are missing; safe to run again. */
  migrate(): Promise<void>;
  /**
   * One cheap read of the packets table (every shard's): resolves when the store is reachable and
   * migrated, throws otherwise. The readiness check (`GET /readyz`, src/runtime/readiness.ts).
   */
  ping(): Promise<void>;
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

  /**
   * `claimShares` for several packets at once, in ONE transaction (issue 6, cross-packet group
   * commit): the packets are locked in id order (so concurrent groups cannot deadlock each other),
   * each one's claimers are decided as `claimShares` would, and all claims and transfer tasks are
   * written together. A packet that refuses (missing, unpaid, exhausted, expired) only refuses its
   * own claimers. One result per request, in request order; a packet asked for twice is claimed
   * once for the union of its uids. The group is all on one store: a sharded store splits it by
   * packet shard and runs one such transaction per shard.
   *
   * Failures: a store running the group as one transaction throws when it fails (nothing of the
   * group was written). A sharded store waits for every shard's transaction and never throws for
   * one shard: the requests of a shard whose transaction failed get a result with `error` (that
   * shard wrote nothing), the other shards' requests get their committed outcomes; a request
   * the group may not hold (an over-long uid) still refuses the whole group before any shard
   * writes. On MySQL a claim transaction that cannot reach its database fails with a
   * `DEPENDENCY_FAILED` RedpktError (503: retry; claims are idempotent by packet and uid).
   *
   * `onDecided` (issue 25): called once the group's writes are all made under its locks and only
   * the COMMIT is left (on a sharded store: once every shard's transaction is there). Nothing is
   * committed yet, so nobody may be answered then; it tells the coalescer that the next
   * transaction on these packets may start, and wait on their row locks in the database instead
   * of on this group's COMMIT round trip in the process. It may not be called at all (a failed
   * group), and it may be called again when the group is retried after a deadlock.
   */
  claimSharesMany(
    requests: readonly ClaimRequest[],
    now: number,
    random?: RandomInt,
    onDecided?: () => void,
  ): Promise<ClaimSharesResult[]>;

  getClaim(packetId: string, uid: string): Promise<Claim | null>;
  /** Every claim of a packet in claim order. */
  listClaims(packetId: string): Promise<Claim[]>;

  getRefund(refundNo: string): Promise<RefundOrder | null>;
  listTasks(filter?: { kind?: TaskKind; status?: TaskStatus }): Promise<Task[]>;

  /**
   * Issue 6: the shard a new packet of this sender goes on (its id carries it: newPacketId(shard)).
   * Only the sharded MySQL store has it, and refuses a packet whose id names another shard than its
   * sender's; absent: one database, shard 0.
   */
  packetShard?(senderUid: string): number;
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

/** Items per `transferMany` call. */
export const MAX_TRANSFER_BATCH = 200;

/** One item of a `transferMany` answer: its order, or why it was refused (nothing stored for it). */
export type TransferResult =
  | { order: ProviderOrder; error?: undefined }
  | { order?: undefined; error: { code: ErrorCode; message: string } };

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
  /**
   * Many transfers in one call (DESIGN §6, transfers in batches): each item exactly as `transfer`
   * would treat it alone (idempotent by transferNo, a replay answers the stored order), answered
   * in input order, one result per item; an item refused (e.g. IDEMPOTENCY_CONFLICT, or a new
   * transfer the merchant cannot afford) carries its error and does not stop the others. At most
   * MAX_TRANSFER_BATCH items, transfer numbers unique within the call (VALIDATION_FAILED for the
   * whole call otherwise). `notifyUrl` is stored on every order; a callback is sent later only for
   * the orders this answer leaves `pending` (the answer already gave the final state of the rest).
   */
  transferMany(input: {
    transfers: readonly { transferNo: string; uid: string; amount: Fen }[];
    notifyUrl: string;
  }): Promise<TransferResult[]>;
  /** Idempotent by refundNo; refunds part or all of a succeeded payment to its payer. */
  refund(input: {
    refundNo: string;
    payOrderNo: string;
    amount: Fen;
    notifyUrl: string;
  }): Promise<ProviderOrder>;
  /** null when the provider has never heard of the order. */
  queryOrder(orderNo: string): Promise<ProviderOrder | null>;
  /**
   * Issue 4: closes a pending payment order so that it can no longer be paid. Idempotent: a closed
   * order is returned as is, and so is a succeeded one (it was paid meanwhile: the caller marks it
   * paid instead). ORDER_NOT_FOUND when the provider has never heard of it.
   */
  closePayOrder(payOrderNo: string): Promise<ProviderOrder>;
}

// ---------------------------------------------------------------- issue 4: outbox worker, settlements, sweeper, alerts

/** Asks for due tasks. Two callers never get the same task while its lease lasts. */
export interface LeaseRequest {
  /** Who holds the leases (a worker id); only the holder may finish a task. */
  owner: string;
  now: number;
  /** The lease ends at now + leaseMs; after that another worker may take the task over. */
  leaseMs: number;
  limit: number;
  /** Only tasks of these kinds (default: every kind). */
  kinds?: readonly TaskKind[];
}

export interface EnsureTaskInput {
  kind: TaskKind;
  ref: string;
  dueAt: number;
  now: number;
}

export interface EnsureTaskResult {
  task: Task;
  /** true when the task was missing (inserted) or `done` (revived to pending). */
  changed: boolean;
}

/** A claim's transfer, a packet's refund or a payment moved on; changed=false for a replay. */
export interface Settled<T> {
  value: T;
  changed: boolean;
}

export type ExpireOutcome =
  /** active -> expired -> refunding, with a pending refund order and its `refund` task. */
  | 'refunding'
  /** Still active and expiresAt is in the future (`notBefore` says when to come back). */
  | 'not_due'
  /** Nothing to do: exhausted, already expiring or refunded, closed, or not C2C. */
  | 'nothing';

export interface ExpireResult {
  outcome: ExpireOutcome;
  packet: Packet | null;
  refund: RefundOrder | null;
}

/**
 * The orders whose final state comes from outside: our payment, transfer and refund orders at
 * finance, subsidy withdrawals (a transfer at finance numbered by withdrawalNo), and the remainder
 * returns of expired B2C packets (at the reward issuer, numbered `${packetId}-R`).
 *
 * `expiry`: an ACTIVE packet (C2C paid, or B2C) past its expiresAt, whose `expire` task has not
 * yet moved it to refunding. It is not an order at finance, but until the expiry runs its unclaimed
 * remainder is owed to the sender (C2C refund) or the campaign (B2C return) and no refund or return
 * order exists to be swept; once the expiry ran, those orders are swept under their own kinds.
 */
export type OrderKind = 'payment' | 'transfer' | 'refund' | 'withdrawal' | 'b2c_return' | 'expiry';

/** The task that finishes each kind of order (its ref: `UnsettledOrder.taskRef`). */
export const TASK_OF_ORDER: Readonly<Record<OrderKind, TaskKind>> = {
  payment: 'payment_recheck',
  transfer: 'transfer',
  refund: 'refund',
  withdrawal: 'withdrawal',
  // a B2C packet's `expire` task both starts its return and finishes it at the issuer
  b2c_return: 'expire',
  // the packet's own `expire` task (ref: packet id), due at expiresAt when it became active
  expiry: 'expire',
};

/**
 * What an alert is recorded under: the kind of the stuck order itself (one alert per (kind, ref)).
 * An overdue expiry's ref is the packet id, NOT the refund number `${packetId}-R` the expiry will
 * create: that number is the key of the refund's (or B2C return's) own alert. Until migration 8
 * the table took three kinds and withdrawals, B2C returns and expiries were filed as transfers and
 * refunds; the migration re-files those by their message.
 */
export const ALERT_KINDS = ['payment', 'transfer', 'refund', 'withdrawal', 'b2c_return', 'expiry'] as const;
export type AlertKind = OrderKind;

/** An order not in a final state yet, with the task that finishes it. */
export interface UnsettledOrder {
  kind: OrderKind;
  /** The order's number: payOrderNo, claimNo, refundNo, withdrawalNo, returnNo; an expiry's packet id. */
  ref: string;
  /** The ref of the task that finishes it: `ref`, except a B2C return's (its packet id). */
  taskRef: string;
  status: string;
  /**
   * When the order was created; for an `expiry`, the packet's expiresAt (when the expiry became
   * due), so that the cut-off and the keyset below work the same way for every kind.
   */
  createdAt: number;
  task: Task | null;
}

export interface UnsettledQuery {
  kind: OrderKind;
  /** Only orders created before this instant (an `expiry`: packets that expired before it). */
  createdBefore: number;
  /** Keyset cursor: orders after this one in (createdAt, ref) order. */
  after?: { createdAt: number; ref: string };
  limit: number;
}

export interface Alert {
  id: number;
  /** The stuck order's kind; unique with ref: one alert per order. */
  kind: AlertKind;
  ref: string;
  message: string;
  attempts: number;
  createdAt: number;
}

export type NewAlert = Omit<Alert, 'id'>;

/** What the worker and the sweeper need from the packet store (DESIGN §6). */
export interface SettlementStore {
  /** Leases due pending tasks (unleased or with an expired lease); each lease counts one attempt. */
  leaseTasks(request: LeaseRequest): Promise<Task[]>;
  /** pending -> done and the lease released; false (nothing written) when `owner` no longer holds it. */
  completeTask(taskId: number, owner: string, now: number): Promise<boolean>;
  /** `completeTask` for many tasks in one statement per shard; answers how many were completed. */
  completeTasks(taskIds: readonly number[], owner: string, now: number): Promise<number>;
  /** Stays pending, due again at dueAt, the error recorded, the lease released; false as above. */
  rescheduleTask(
    taskId: number,
    owner: string,
    retry: { dueAt: number; error: string; now: number },
  ): Promise<boolean>;
  /** pending -> dead (given up: the sweeper alerts), the lease released; false as above. */
  killTask(taskId: number, owner: string, error: string, now: number): Promise<boolean>;
  /**
   * Idempotent by (kind, ref): inserts the task when it is missing and revives a `done` one
   * (pending, due at dueAt). A pending task is left as it is; a dead one stays dead.
   */
  ensureTask(input: EnsureTaskInput): Promise<EnsureTaskResult>;
  getTask(kind: TaskKind, ref: string): Promise<Task | null>;

  getClaimByNo(claimNo: string): Promise<Claim | null>;
  /** The claims with these numbers (unknown ones left out), in no particular order. */
  getClaimsByNo(claimNos: readonly string[]): Promise<Claim[]>;
  /**
   * `advanceClaim` for many claims, in one transaction per shard (claims locked in claimNo order),
   * answered in input order; null for an unknown claim (nothing else is refused). Numbers unique.
   */
  advanceClaims(
    claimNos: readonly string[],
    to: Claim['status'],
    now: number,
  ): Promise<(Settled<Claim> | null)[]>;
  /**
   * Moves a claim's transfer towards `to` (transferring, transferred or failed), through
   * `transferring` when needed. A final or equal state, or an out-of-order step, changes nothing.
   * ORDER_NOT_FOUND for an unknown claim.
   */
  advanceClaim(claimNo: string, to: Claim['status'], now: number): Promise<Settled<Claim>>;

  /**
   * The expiry of a C2C packet, under the packet lock: when it is active and now >= expiresAt,
   * active -> expired -> refunding, a pending refund order (refundNoFor(id), the remaining amount
   * read under the lock, to the sender) and its `refund` task, in one transaction. The packet keeps
   * its remaining amount and count. Claims after it get PACKET_EXPIRED.
   */
  expirePacket(packetId: string, now: number): Promise<ExpireResult>;
  /**
   * Moves a refund towards `to` (pending, succeeded or failed; a failed one goes back to pending
   * to be retried). Succeeded also moves its packet refunding -> refunded, in the same transaction.
   * A final or equal state changes nothing. ORDER_NOT_FOUND for an unknown refund.
   */
  advanceRefund(refundNo: string, to: RefundOrder['status'], now: number): Promise<Settled<RefundOrder>>;
  /**
   * Closes an unpaid packet's payment: payment pending -> closed, packet unpaid -> closed, in one
   * transaction. A payment that is no longer pending is returned as is (changed=false).
   */
  closePayment(payOrderNo: string, now: number): Promise<Settled<PaymentOrder>>;

  /** Non-final orders of one kind created before a cut-off, oldest first, with their tasks. */
  listUnsettled(query: UnsettledQuery): Promise<UnsettledOrder[]>;
  /** true when this is the order's first alert (kind, ref); false when it was already raised. */
  raiseAlert(alert: NewAlert): Promise<boolean>;
  listAlerts(): Promise<Alert[]>;
}

// ---------------------------------------------------------------- issue 3: B2C subsidies

export interface NewB2cPacket {
  id: string;
  senderUid: string;
  outOrderNo: string;
  /** The opened (authenticated) token; its amount is the packet's total. */
  grant: SealedGrant;
  totalCount: number;
  splitMode: SplitMode;
  greeting: string;
  expiresAt: number;
  now: number;
}

export interface CreateB2cResult {
  /** Active at once: the subsidy paid for it. */
  packet: Packet;
  /** The subsidy that funded it, now `used`. */
  subsidy: Subsidy;
  /** false when (senderUid, outOrderNo) already existed with the same body and token. */
  created: boolean;
}

/** booked: written now; duplicate: already booked, same grant; conflict: the grant belongs to another. */
export type BookingOutcome = 'booked' | 'duplicate' | 'conflict';

export interface BookingResult {
  tokenId: string;
  outGrantNo: string;
  outcome: BookingOutcome;
}

export type CreditResult =
  | { status: 'credited'; credit: SubsidyCredit; balance: SubsidyBalance; created: boolean }
  /** A claim on a C2C packet: nothing written, the caller transfers it through finance. */
  | { status: 'not_b2c' };

export interface NewWithdrawal {
  withdrawalNo: string;
  uid: string;
  outOrderNo: string;
  amount: Fen;
  now: number;
  /** When the `withdrawal` task (the re-check that finishes it) is due. */
  dueAt: number;
}

export interface CreateWithdrawalResult {
  withdrawal: Withdrawal;
  balance: SubsidyBalance;
  /** false for a replay of (uid, outOrderNo) with the same amount. */
  created: boolean;
}

export interface WithdrawalSettled {
  withdrawal: Withdrawal;
  /** false when it was final already (nothing written). */
  changed: boolean;
}

/** returning: a pending return exists (now or before); not_due: still active; nothing: no remainder. */
export type B2cReturnOutcome = 'returning' | 'not_due' | 'nothing';

export interface StartB2cReturnResult {
  outcome: B2cReturnOutcome;
  packet: Packet | null;
  b2cReturn: B2cReturn | null;
}

/** The packet service's subsidy tables: booked grants, guard, balances, credits, withdrawals, returns. */
export interface SubsidyStore {
  /**
   * Books grants in one transaction, idempotent by out_grant_no: each grant's guard row (keyed by
   * out_grant_no alone) is taken first; a grant whose guard names another uid or token is a
   * `conflict` and writes nothing of it. Results in the order given.
   */
  bookSubsidies(grants: readonly SealedGrant[], now: number): Promise<BookingResult[]>;
  /**
   * Books the grant if it is not yet, spends it, and creates an ACTIVE b2c packet with its `expire`
   * task, in one transaction. Idempotent by (senderUid, outOrderNo): the same body and token return
   * the stored packet (created=false), even after the token expired. Throws SUBSIDY_CONFLICT (the
   * grant is booked for another uid or token), SUBSIDY_USED (another packet spent it),
   * SUBSIDY_EXPIRED, IDEMPOTENCY_CONFLICT (the order exists with another body or token).
   */
  createB2cPacket(input: NewB2cPacket): Promise<CreateB2cResult>;
  getSubsidy(tokenId: string): Promise<Subsidy | null>;
  /** A user's booked subsidies, newest first. */
  listSubsidies(uid: string): Promise<Subsidy[]>;
  /** Booked grants of a campaign (for tests and reconciliation). */
  countSubsidies(campaign: string): Promise<{ count: number; amount: Fen }>;

  /**
   * A claim on a B2C packet credits its claimer's withdrawable balance, and the claim becomes
   * `transferred` (from claimed, transferring or failed), in one transaction; idempotent by claimNo.
   * A claim on a C2C packet writes nothing (`not_b2c`). ORDER_NOT_FOUND for an unknown claim.
   */
  creditSubsidyBalance(claimNo: string, now: number): Promise<CreditResult>;
  /** Zeros for a user who never had one. */
  getSubsidyBalance(uid: string): Promise<SubsidyBalance>;
  /**
   * Holds `amount` of the balance (available -> held), writes the pending withdrawal and its
   * `withdrawal` task, in one transaction. Idempotent by (uid, outOrderNo); another amount is
   * IDEMPOTENCY_CONFLICT; more than available is INSUFFICIENT_BALANCE (nothing written).
   */
  createWithdrawal(input: NewWithdrawal): Promise<CreateWithdrawalResult>;
  /**
   * pending -> succeeded (the held amount leaves) or failed (it returns to available), in one
   * transaction. A final withdrawal is returned as is. ORDER_NOT_FOUND for an unknown one.
   */
  settleWithdrawal(
    withdrawalNo: string,
    to: 'succeeded' | 'failed',
    providerTxnId: string | null,
    now: number,
  ): Promise<WithdrawalSettled>;
  getWithdrawal(withdrawalNo: string): Promise<Withdrawal | null>;
  /** Newest first. */
  listWithdrawals(uid: string): Promise<Withdrawal[]>;

  /**
   * The expiry of a B2C packet, under the packet lock: when it is active (or expired) and
   * now >= expiresAt, -> refunding with a pending return of the remaining amount (read under the
   * lock) to its campaign, in one transaction. An existing return is returned as is.
   */
  startB2cReturn(packetId: string, now: number): Promise<StartB2cReturnResult>;
  /** The issuer took the return: return pending -> succeeded, packet refunding -> refunded. */
  settleB2cReturn(packetId: string, now: number): Promise<{ b2cReturn: B2cReturn; changed: boolean }>;
  getB2cReturn(packetId: string): Promise<B2cReturn | null>;
}

/** The reward issuer as the packet service sees it (finance's rain API). */
export interface SubsidyIssuer {
  /** Every token the issuer granted to uid, newest first. Throws when the issuer is down. */
  listTokens(uid: string): Promise<SealedGrant[]>;
  /** Idempotent by returnNo: an expired B2C packet's remainder goes back to its campaign's budget. */
  returnRemainder(input: { returnNo: string; campaign: string; amount: Fen }): Promise<void>;
}

export interface QueueMessage {
  /** The queue's id of this delivery, for ack. */
  id: string;
  payload: string;
}

/**
 * The grant queue between the issuer and the booking worker: at-least-once. A received message
 * not acknowledged within the queue's visibility timeout is delivered again (to any consumer).
 */
export interface GrantQueue {
  publish(payloads: readonly string[]): Promise<void>;
  /** Up to `max` messages; waits up to `waitMs` when there are none. */
  receive(max: number, waitMs: number): Promise<QueueMessage[]>;
  ack(ids: readonly string[]): Promise<void>;
  /** Messages published and not yet acknowledged. */
  depth(): Promise<number>;
  /** A queue on a server (Redis): its connection's state, `ready` when up. Absent: no server. */
  connectionStatus?(): string;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- issue 8: reconciliation reads

export type ReconScope = 'c2c' | 'b2c';

/** One of our orders as reconciliation reads it (see src/recon/). */
export interface ReconOrderRow {
  /** payOrderNo, claimNo, refundNo, withdrawalNo or a B2C return's returnNo: the provider's number. */
  orderNo: string;
  /** `return`: an expired B2C packet's remainder given back to the reward issuer (b2c_returns). */
  kind: 'payment' | 'transfer' | 'refund' | 'return';
  packetId: string | null;
  /** Issue 22: the payer, claimer, refunded or withdrawing user (null for a B2C return). */
  uid?: string | null;
  amount: Fen;
  status: string;
  /** Answered by the service itself (provider txn id `MOCK-…` or a row in ops_mocked_orders). */
  mocked: boolean;
  createdAt: number;
}

export interface ReconOrderQuery {
  scope: ReconScope;
  kind: ReconOrderRow['kind'];
  /** Inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  /** Keyset cursor: rows after this one in (createdAt, orderNo) order. */
  after?: { createdAt: number; orderNo: string };
  limit: number;
}

/**
 * One packet's orders, summed (successful money only). A B2C packet is "paid" by the subsidy it
 * spent, its claims are "transferred" once credited to the claimers' subsidy balances, and its
 * returned remainder is "refunded".
 */
export interface ReconPacketRow {
  packetId: string;
  status: string;
  totalAmount: Fen;
  /** The payment, when it is paid. */
  paid: Fen;
  /** Issue 22: how many orders paid it (a C2C payment, or the B2C subsidies spent on it). */
  paidOrders?: number;
  /** Claims whose transfer succeeded. */
  transferred: Fen;
  /** Refunds that succeeded. */
  refunded: Fen;
  claims: number;
  /** Claims whose transfer succeeded. */
  transfers: number;
  /** Payment, claims or refunds not final yet. */
  openOrders: number;
  /** Mocked packets are reported apart: their money never reached the provider. */
  mocked: boolean;
  createdAt: number;
}

export interface ReconPacketQuery {
  /** Default c2c. */
  type?: 'c2c' | 'b2c';
  fromMs: number;
  toMs: number;
  after?: { createdAt: number; packetId: string };
  limit: number;
}

/** What the packet store can say about B2C money in a window. */
export interface ReconB2cTotals {
  packets: number;
  packetAmount: Fen;
  /** Subsidies spent on those packets. */
  usedSubsidies: number;
  usedAmount: Fen;
  /** Subsidies booked (issued at) in the window. */
  booked: number;
  bookedAmount: Fen;
}

/** One booked subsidy as reconciliation matches it against the issuer's grants (issue 8). */
export interface ReconSubsidyRow {
  outGrantNo: string;
  tokenId: string;
  uid: string;
  campaign: string;
  amount: Fen;
  status: string;
  /** Copied from the sealed token: the issuer's issuedAt, so both sides walk the same order. */
  issuedAt: number;
}

export interface ReconSubsidyQuery {
  /** Issued in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Keyset cursor: rows after this one in (issuedAt, outGrantNo) order. */
  after?: { issuedAt: number; outGrantNo: string };
  limit: number;
}

export interface StoredReconReport {
  windowKey: string;
  type: 'c2c' | 'b2c' | 'all';
  /** `shadow`: a `recon --shadow` run over the shadow (load-test) lane's stores. */
  lane: 'real' | 'shadow';
  fromMs: number;
  toMs: number;
  clean: boolean;
  discrepancies: number;
  /** The report as JSON text. */
  report: string;
  ranAt: number;
}

/** Keyset-paginated, lock-free reads of a window, and the report history (issue 8). */
export interface ReconStore {
  /** Orders of one kind created in [fromMs, toMs), in (createdAt, orderNo) order. */
  listOrders(query: ReconOrderQuery): Promise<ReconOrderRow[]>;
  /** Any order of that number (payment, claim, refund or withdrawal), in any window. */
  findOrder(orderNo: string): Promise<{ kind: ReconOrderRow['kind']; createdAt: number } | null>;
  /** Packets of one type created in [fromMs, toMs), in (createdAt, id) order, with their orders summed. */
  listPacketTotals(query: ReconPacketQuery): Promise<ReconPacketRow[]>;
  /** Booked subsidies issued in [fromMs, toMs), in (issuedAt, outGrantNo) order, one keyset page. */
  listSubsidies(query: ReconSubsidyQuery): Promise<ReconSubsidyRow[]>;
  /** The booked subsidy of a grant number, in any window. */
  findSubsidy(outGrantNo: string): Promise<ReconSubsidyRow | null>;
  b2cTotals(fromMs: number, toMs: number): Promise<ReconB2cTotals>;
  /** Replaces the report of the same window, type and lane. */
  saveReport(report: StoredReconReport): Promise<void>;
  /** Newest first. */
  listReports(limit: number): Promise<StoredReconReport[]>;
  close(): Promise<void>;
}
