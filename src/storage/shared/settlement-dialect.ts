/**
 * Issue 4: what one SQL dialect adds for the worker, the settlements and the sweeper. Merged into
 * StoreReads and StoreTx (./store-dialect.ts), implemented per dialect in
 * `sqlite/sqlite-settlement-rows.ts` and `mysql/mysql-settlement-rows.ts`.
 */
import type { Claim, ClaimStatus } from '../../domain/claim.js';
import type { RefundOrder, RefundStatus } from '../../domain/order.js';
import type { Alert, NewAlert, Task, TaskKind, TaskStatus, UnsettledQuery } from '../../domain/ports.js';

/** An unsettled order row before its task is attached. */
export interface UnsettledRow {
  ref: string;
  /** What its task is keyed by (UnsettledOrder.taskRef). */
  taskRef: string;
  status: string;
  createdAt: number;
}

export interface SettlementReads {
  claimByNo(claimNo: string): Promise<Claim | null>;
  /** The claims with these numbers (unknown ones left out), in no particular order. */
  claimsByNo(claimNos: readonly string[]): Promise<Claim[]>;
  refundByNo(refundNo: string): Promise<RefundOrder | null>;
  task(kind: TaskKind, ref: string): Promise<Task | null>;
  tasksByRefs(kind: TaskKind, refs: readonly string[]): Promise<Task[]>;
  /** Non-final rows of one order kind, in (createdAt, ref) order. */
  unsettled(query: UnsettledQuery): Promise<UnsettledRow[]>;
  /** In id order. */
  alerts(): Promise<Alert[]>;
}

export interface DueTasksQuery {
  now: number;
  limit: number;
  kinds?: readonly TaskKind[] | undefined;
}

/** How a leased task ends: its new status, and for a retry when it is due again and why. */
export interface TaskEnd {
  status: TaskStatus;
  dueAt?: number;
  lastError?: string | null;
  now: number;
}

export interface SettlementTx {
  /**
   * Pending tasks due at `now` whose lease is free or expired, oldest due first, locked until
   * commit. MySQL skips rows another transaction holds (`FOR UPDATE SKIP LOCKED`), so concurrent
   * workers lease different tasks instead of waiting on each other; SQLite's writer is alone anyway.
   */
  dueTasks(query: DueTasksQuery): Promise<Task[]>;
  /** Leases the tasks to owner until leaseUntil and counts one attempt each. */
  leaseTasks(ids: readonly number[], owner: string, leaseUntil: number, now: number): Promise<void>;
  /** Ends a pending task `owner` holds and releases the lease; false when it is not theirs (any more). */
  endTask(id: number, owner: string, end: TaskEnd): Promise<boolean>;
  /** `endTask` as `done` for many tasks, set-based; answers how many were `owner`'s and pending. */
  completeTasks(ids: readonly number[], owner: string, now: number): Promise<number>;
  lockTask(kind: TaskKind, ref: string): Promise<Task | null>;
  /** A `done` task becomes pending again, due at dueAt, with no lease. */
  reviveTask(id: number, dueAt: number, now: number): Promise<void>;
  lockClaim(claimNo: string): Promise<Claim | null>;
  updateClaimStatus(claimNo: string, guard: ClaimStatus, to: ClaimStatus, now: number): Promise<boolean>;
  /**
   * `lockClaim` for many claims (unknown ones left out, any order), locked in claimNo order so
   * that two transactions locking overlapping sets queue instead of deadlocking.
   */
  lockClaims(claimNos: readonly string[]): Promise<Claim[]>;
  /** `updateClaimStatus` for many claims, set-based; answers how many matched `guard` (now `to`). */
  updateClaimsStatus(
    claimNos: readonly string[],
    guard: ClaimStatus,
    to: ClaimStatus,
    now: number,
  ): Promise<number>;
  lockRefund(refundNo: string): Promise<RefundOrder | null>;
  insertRefund(refund: RefundOrder): Promise<void>;
  updateRefundStatus(refundNo: string, guard: RefundStatus, to: RefundStatus, now: number): Promise<boolean>;
  insertAlert(alert: NewAlert): Promise<void>;
}
