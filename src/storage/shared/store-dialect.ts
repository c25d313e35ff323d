/**
 * What one SQL dialect must provide so that src/storage/shared/packet-store.ts can implement the
 * PacketStore port once for every adapter. Internal to src/storage: the services never see a
 * transaction (STYLE rule 3); the dialect owns connections, locks, retries and serialization.
 */
import type { Claim } from '../../domain/claim.js';
import type { PaymentOrder, PaymentStatus, RefundOrder } from '../../domain/order.js';
import type { Packet, PacketStatus } from '../../domain/packet.js';
import type { Task, TaskKind, TaskStatus } from '../../domain/ports.js';
import type { SettlementReads, SettlementTx } from './settlement-dialect.js';
import type { SubsidyReads, SubsidyTx } from './subsidy-dialect.js';
import { chunks as chunksOf } from '../../domain/chunks.js';

export const TASK_STATUSES = ['pending', 'done', 'dead'] as const satisfies readonly TaskStatus[];

/** A task to insert; it starts pending with no attempts. */
export interface NewTask {
  kind: TaskKind;
  ref: string;
  dueAt: number;
  now: number;
}

export interface TaskFilter {
  kind?: TaskKind;
  status?: TaskStatus;
}

/** Plain reads of committed rows; no locks. */
export interface StoreReads extends SettlementReads, SubsidyReads {
  packet(packetId: string): Promise<Packet | null>;
  packetByOrder(senderUid: string, outOrderNo: string): Promise<Packet | null>;
  payment(payOrderNo: string): Promise<PaymentOrder | null>;
  claim(packetId: string, uid: string): Promise<Claim | null>;
  /** In seq order. */
  claimsOfPacket(packetId: string): Promise<Claim[]>;
  refund(refundNo: string): Promise<RefundOrder | null>;
  /** In id (insertion) order. */
  tasks(filter: TaskFilter): Promise<Task[]>;
}

/** What a packet row must still look like for an update to apply (compare-and-set). */
export interface PacketGuard {
  status: PacketStatus;
  remainingCount: number;
}

export interface PacketChange {
  status: PacketStatus;
  remainingAmount: number;
  remainingCount: number;
  updatedAt: number;
}

export interface PaymentChange {
  status: PaymentStatus;
  providerTxnId: string | null;
  updatedAt: number;
}

/**
 * The work of one write transaction. `lock*` reads the latest committed row and holds it until
 * commit (`FOR UPDATE` on MySQL; on SQLite the transaction already holds the database's write lock).
 */
export interface StoreTx extends SettlementTx, SubsidyTx {
  packetByOrder(senderUid: string, outOrderNo: string): Promise<Packet | null>;
  lockPacket(packetId: string): Promise<Packet | null>;
  lockPayment(payOrderNo: string): Promise<PaymentOrder | null>;
  /** The claims of these uids on this packet (latest committed). */
  claimsOf(packetId: string, uids: readonly string[]): Promise<Claim[]>;
  insertPacket(packet: Packet): Promise<void>;
  insertPayment(payment: PaymentOrder): Promise<void>;
  /** One multi-row INSERT (chunked only for very large batches). */
  insertClaims(claims: readonly Claim[]): Promise<void>;
  insertTasks(tasks: readonly NewTask[]): Promise<void>;
  /** false when the row no longer matched `guard` (nothing was written). */
  updatePacket(packetId: string, guard: PacketGuard, change: PacketChange): Promise<boolean>;
  updatePayment(payOrderNo: string, guardStatus: PaymentStatus, change: PaymentChange): Promise<boolean>;
}

/** A packet's claimers in one claim transaction (uids distinct). */
export interface ClaimLockRequest {
  packetId: string;
  uids: readonly string[];
}

/** A locked packet (null when missing) and the claims its asked uids already have. */
export interface LockedForClaims {
  packet: Packet | null;
  existing: Claim[];
}

/** One packet's guarded update in a claim transaction. */
export interface PacketWrite {
  packetId: string;
  guard: PacketGuard;
  change: PacketChange;
}

/**
 * The claim transaction's statements (DESIGN §3 step 2), for a group of packets (issue 6: one
 * transaction may serve claimers of several packets) and their uids. A dialect may run them
 * faster than through StoreTx (MySQL: hand-written SQL, three round trips); `claimTxOver` builds
 * them from any StoreTx, so the decision stays in one place either way.
 */
export interface ClaimTx {
  /**
   * Locks the packets in id order (as `lockPacket`; ordered, so two groups never deadlock on each
   * other) and then reads the asked uids' claims on them (as `claimsOf`). Keyed by packet id; a
   * missing packet maps to `{ packet: null, existing: [] }`.
   */
  lockForClaims(requests: readonly ClaimLockRequest[]): Promise<Map<string, LockedForClaims>>;
  /**
   * The guarded packet UPDATEs, then the claims and their tasks. false when a guard missed; the
   * caller must then throw so that the transaction rolls back whatever was written.
   */
  applyClaims(
    packets: readonly PacketWrite[],
    claims: readonly Claim[],
    tasks: readonly NewTask[],
  ): Promise<boolean>;
}

export function claimTxOver(tx: StoreTx): ClaimTx {
  return {
    async lockForClaims(requests) {
      const locked = new Map<string, LockedForClaims>();
      const ordered = [...requests].sort((a, b) => (a.packetId < b.packetId ? -1 : 1));
      for (const { packetId } of ordered)
        locked.set(packetId, { packet: await tx.lockPacket(packetId), existing: [] });
      for (const { packetId, uids } of ordered) {
        const entry = locked.get(packetId);
        if (entry?.packet) entry.existing = await tx.claimsOf(packetId, uids);
      }
      return locked;
    },
    async applyClaims(packets, claims, tasks) {
      for (const p of packets) if (!(await tx.updatePacket(p.packetId, p.guard, p.change))) return false;
      await tx.insertClaims(claims);
      await tx.insertTasks(tasks);
      return true;
    },
  };
}

export interface StoreDialect {
  reads: StoreReads;
  /**
   * Optional: runs `work` in one claim transaction with the dialect's own fast statements, with
   * the same commit/rollback/retry rules as `write`. Absent: `write` + `claimTxOver`.
   */
  writeClaims?<T>(work: (tx: ClaimTx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one write transaction: commits when it resolves, rolls back when it throws.
   * The dialect serializes (SQLite) or retries on deadlock (MySQL), so `work` may run more than
   * once and must not have effects outside the transaction.
   */
  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** true for a duplicate-key error (unique or primary key), however deeply wrapped. */
  isUniqueViolation(error: unknown): boolean;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Rows per INSERT statement: far below SQLite's 32,766 and MySQL's 65,535 placeholders. */
export const INSERT_CHUNK_ROWS = 1000;

/** `chunks` of src/domain/chunks.ts, INSERT_CHUNK_ROWS at a time unless told. */
export const chunks = <T>(items: readonly T[], size = INSERT_CHUNK_ROWS): T[][] => chunksOf(items, size);

export function taskRow(task: NewTask): Omit<Task, 'id'> {
  return {
    kind: task.kind,
    ref: task.ref,
    status: 'pending',
    dueAt: task.dueAt,
    attempts: 0,
    lastError: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: task.now,
    updatedAt: task.now,
  };
}
