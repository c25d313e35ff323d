/**
 * Issue 3: what one SQL dialect adds for the subsidy tables. Merged into StoreReads and StoreTx
 * (./store-dialect.ts), implemented per dialect in `sqlite/subsidy-rows.ts` and
 * `mysql/subsidy-rows.ts`; the logic is written once in ./subsidy-store.ts.
 */
import type { Claim, ClaimStatus } from '../../domain/claim.js';
import type { Fen } from '../../domain/money.js';
import type {
  B2cReturn,
  B2cReturnStatus,
  GrantGuard,
  Subsidy,
  SubsidyBalance,
  SubsidyCredit,
  Withdrawal,
  WithdrawalStatus,
} from '../../domain/subsidy.js';

export interface SubsidyReads {
  subsidy(tokenId: string): Promise<Subsidy | null>;
  /** Newest (issuedAt) first. */
  subsidiesOf(uid: string): Promise<Subsidy[]>;
  subsidyTotals(campaign: string): Promise<{ count: number; amount: Fen }>;
  subsidyOfPacket(packetId: string): Promise<Subsidy | null>;
  subsidyBalance(uid: string): Promise<SubsidyBalance | null>;
  subsidyCredit(claimNo: string): Promise<SubsidyCredit | null>;
  withdrawal(withdrawalNo: string): Promise<Withdrawal | null>;
  /** Newest first. */
  withdrawalsOf(uid: string): Promise<Withdrawal[]>;
  withdrawalByOrder(uid: string, outOrderNo: string): Promise<Withdrawal | null>;
  b2cReturn(packetId: string): Promise<B2cReturn | null>;
}

export interface WithdrawalChange {
  status: WithdrawalStatus;
  providerTxnId: string | null;
  updatedAt: number;
}

/**
 * Inside one write transaction. The `lock*` methods that may meet a missing row insert it first
 * (MySQL: INSERT … ON DUPLICATE KEY UPDATE, which takes an exclusive lock even on a duplicate, so
 * racing transactions queue on it instead of deadlocking on shared locks), then read it locked.
 */
export interface SubsidyTx {
  /**
   * Plain reads, on purpose (as claimsOf in mysql-rows.ts): each runs after the lock that every
   * writer of those rows takes first (the guard, the claim, the balance), so it cannot miss one,
   * and it takes no gap locks for neighbours' inserts to deadlock on.
   */
  subsidyOfPacket(packetId: string): Promise<Subsidy | null>;
  subsidyCredit(claimNo: string): Promise<SubsidyCredit | null>;
  withdrawalByOrder(uid: string, outOrderNo: string): Promise<Withdrawal | null>;

  /** Inserts the missing guard rows (in outGrantNo order) and returns every one of them, locked. */
  lockGrantGuards(rows: readonly GrantGuard[]): Promise<GrantGuard[]>;
  lockSubsidies(tokenIds: readonly string[]): Promise<Subsidy[]>;
  insertSubsidies(rows: readonly Subsidy[]): Promise<void>;
  /** available -> used by packetId; false when the row was not available (nothing written). */
  spendSubsidy(tokenId: string, packetId: string, now: number): Promise<boolean>;

  lockClaimForCredit(claimNo: string): Promise<Claim | null>;
  /** from -> transferred; false when the claim was no longer `from`. */
  markClaimCredited(claimNo: string, from: ClaimStatus, now: number): Promise<boolean>;
  insertSubsidyCredit(credit: SubsidyCredit): Promise<void>;

  /** The user's balance row, created with zeros when missing, locked until commit. */
  lockSubsidyBalance(uid: string, now: number): Promise<SubsidyBalance>;
  updateSubsidyBalance(balance: SubsidyBalance): Promise<void>;

  lockWithdrawal(withdrawalNo: string): Promise<Withdrawal | null>;
  insertWithdrawal(withdrawal: Withdrawal): Promise<void>;
  updateWithdrawal(withdrawalNo: string, guard: WithdrawalStatus, change: WithdrawalChange): Promise<boolean>;

  /** A plain read: every return of a packet is written under that packet's lock, taken first. */
  b2cReturn(packetId: string): Promise<B2cReturn | null>;
  insertB2cReturn(row: B2cReturn): Promise<void>;
  updateB2cReturnStatus(
    returnNo: string,
    guard: B2cReturnStatus,
    to: B2cReturnStatus,
    now: number,
  ): Promise<boolean>;
}
