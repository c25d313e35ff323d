/**
 * Issue 3: the withdrawable subsidy balance inside write transactions: credits from B2C claims,
 * withdrawals held and settled. Lock order: claim or withdrawal -> balance (by uid).
 */
import { RedpktError } from '../../domain/errors.js';
import type {
  CreateWithdrawalResult,
  CreditResult,
  NewWithdrawal,
  WithdrawalSettled,
} from '../../domain/ports.js';
import { assertTransition } from '../../domain/state-machine.js';
import { WITHDRAWAL_TRANSITIONS } from '../../domain/subsidy.js';
import type { SubsidyBalance, SubsidyCredit, Withdrawal } from '../../domain/subsidy.js';
import type { StoreTx } from './store-dialect.js';

const changedUnderLock = (what: string): RedpktError =>
  new RedpktError('INTERNAL', `${what} changed while locked; nothing was written`, { details: { what } });

/** See SubsidyStore.creditSubsidyBalance. */
export async function creditInTx(tx: StoreTx, claimNo: string, now: number): Promise<CreditResult> {
  const claim = await tx.lockClaimForCredit(claimNo);
  if (!claim) throw new RedpktError('ORDER_NOT_FOUND', `no claim ${claimNo}`, { details: { claimNo } });
  // Every B2C packet is funded by one subsidy row, and only B2C packets are: a plain read, so the
  // credit never waits on the packet's lock (which its claimers keep busy).
  if (!(await tx.subsidyOfPacket(claim.packetId))) return { status: 'not_b2c' };
  const existing = await tx.subsidyCredit(claimNo);
  if (existing) {
    const balance = await tx.lockSubsidyBalance(claim.uid, now);
    return { status: 'credited', credit: existing, balance, created: false };
  }
  if (claim.status === 'transferred') {
    throw new RedpktError('ILLEGAL_TRANSITION', `claim ${claimNo} was transferred without a credit`, {
      details: { claimNo },
    });
  }
  const before = await tx.lockSubsidyBalance(claim.uid, now);
  const balance: SubsidyBalance = { ...before, available: before.available + claim.amount, updatedAt: now };
  const credit: SubsidyCredit = {
    claimNo,
    packetId: claim.packetId,
    uid: claim.uid,
    amount: claim.amount,
    createdAt: now,
  };
  if (!(await tx.markClaimCredited(claimNo, claim.status, now))) throw changedUnderLock(`claim ${claimNo}`);
  await tx.insertSubsidyCredit(credit);
  await tx.updateSubsidyBalance(balance);
  return { status: 'credited', credit, balance, created: true };
}

/** See SubsidyStore.createWithdrawal. The balance lock comes first: it serializes one user's orders. */
export async function createWithdrawalInTx(
  tx: StoreTx,
  input: NewWithdrawal,
): Promise<CreateWithdrawalResult> {
  const before = await tx.lockSubsidyBalance(input.uid, input.now);
  const stored = await tx.withdrawalByOrder(input.uid, input.outOrderNo);
  if (stored) {
    if (stored.amount !== input.amount) {
      throw new RedpktError(
        'IDEMPOTENCY_CONFLICT',
        `withdrawal ${input.outOrderNo} of ${input.uid} exists for ${stored.amount} fen`,
        { details: { withdrawalNo: stored.withdrawalNo, outOrderNo: input.outOrderNo } },
      );
    }
    return { withdrawal: stored, balance: before, created: false };
  }
  if (before.available < input.amount) {
    throw new RedpktError(
      'INSUFFICIENT_BALANCE',
      `the subsidy balance is ${before.available} fen, ${input.amount} asked`,
      { details: { available: before.available, amount: input.amount } },
    );
  }
  const balance: SubsidyBalance = {
    ...before,
    available: before.available - input.amount,
    held: before.held + input.amount,
    updatedAt: input.now,
  };
  const withdrawal: Withdrawal = {
    withdrawalNo: input.withdrawalNo,
    uid: input.uid,
    outOrderNo: input.outOrderNo,
    amount: input.amount,
    status: 'pending',
    providerTxnId: null,
    createdAt: input.now,
    updatedAt: input.now,
  };
  await tx.updateSubsidyBalance(balance);
  await tx.insertWithdrawal(withdrawal);
  await tx.insertTasks([
    { kind: 'withdrawal', ref: withdrawal.withdrawalNo, dueAt: input.dueAt, now: input.now },
  ]);
  return { withdrawal, balance, created: true };
}

/** See SubsidyStore.settleWithdrawal. */
export async function settleWithdrawalInTx(
  tx: StoreTx,
  withdrawalNo: string,
  to: 'succeeded' | 'failed',
  providerTxnId: string | null,
  now: number,
): Promise<WithdrawalSettled> {
  const withdrawal = await tx.lockWithdrawal(withdrawalNo);
  if (!withdrawal) {
    throw new RedpktError('ORDER_NOT_FOUND', `no withdrawal ${withdrawalNo}`, { details: { withdrawalNo } });
  }
  if (withdrawal.status !== 'pending') return { withdrawal, changed: false };
  assertTransition(`withdrawal ${withdrawalNo}`, WITHDRAWAL_TRANSITIONS, withdrawal.status, to);
  const before = await tx.lockSubsidyBalance(withdrawal.uid, now);
  const balance: SubsidyBalance = {
    ...before,
    held: before.held - withdrawal.amount,
    // a failed transfer gives the held amount back
    available: to === 'failed' ? before.available + withdrawal.amount : before.available,
    updatedAt: now,
  };
  const settled: Withdrawal = { ...withdrawal, status: to, providerTxnId, updatedAt: now };
  const change = { status: to, providerTxnId, updatedAt: now };
  if (!(await tx.updateWithdrawal(withdrawalNo, 'pending', change))) {
    throw changedUnderLock(`withdrawal ${withdrawalNo}`);
  }
  await tx.updateSubsidyBalance(balance);
  return { withdrawal: settled, changed: true };
}
