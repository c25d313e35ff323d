import { isRedpktError } from '../../domain/errors.js';
import { RedpktError } from '../../domain/errors.js';
import { newOrderNo } from '../../domain/ids.js';
import type { Fen } from '../../domain/money.js';
import type { ProviderOrder } from '../../domain/ports.js';
import type { Withdrawal } from '../../domain/subsidy.js';
import type { ServiceDeps } from '../deps.js';

/** When the `withdrawal` task first looks again at a withdrawal the request did not finish. */
export const WITHDRAWAL_RECHECK_DELAY_MS = 10_000;

export interface WithdrawInput {
  uid: string;
  outOrderNo: string;
  amount: Fen;
}

type WithdrawalDeps = Pick<ServiceDeps, 'store' | 'provider' | 'notifyUrl' | 'now' | 'shadow' | 'random'>;

/**
 * Moves subsidy balance to the wallet (DESIGN §4): the amount is held, and the withdrawal and its
 * `withdrawal` task are written, in one transaction (idempotent by the client's outOrderNo); then
 * the transfer is tried at once. When finance is slow or down the answer is `pending` and the task
 * finishes it later; a failed transfer gives the held amount back.
 */
export async function withdraw(
  deps: WithdrawalDeps,
  input: WithdrawInput,
  log: (msg: string, err: unknown) => void = () => {},
): Promise<{ withdrawal: Withdrawal; created: boolean }> {
  const now = deps.now();
  const { withdrawal, created } = await deps.store.createWithdrawal({
    withdrawalNo: newOrderNo('WDR', now, deps.shadow === true, deps.random),
    uid: input.uid,
    outOrderNo: input.outOrderNo,
    amount: input.amount,
    now,
    dueAt: now + WITHDRAWAL_RECHECK_DELAY_MS,
  });
  if (withdrawal.status !== 'pending') return { withdrawal, created };
  try {
    return { withdrawal: await runWithdrawal(deps, withdrawal.withdrawalNo), created };
  } catch (e) {
    log(`withdrawal ${withdrawal.withdrawalNo}: the transfer is left to its task`, e);
    return { withdrawal, created };
  }
}

/** Applies finance's answer about a withdrawal's transfer; a pending one stays pending. */
async function settleFrom(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  order: ProviderOrder,
): Promise<Withdrawal> {
  switch (order.status) {
    case 'succeeded':
      return (await deps.store.settleWithdrawal(order.orderNo, 'succeeded', order.txnId, deps.now()))
        .withdrawal;
    case 'failed':
    case 'closed':
      return (await deps.store.settleWithdrawal(order.orderNo, 'failed', null, deps.now())).withdrawal;
    case 'pending': {
      const current = await deps.store.getWithdrawal(order.orderNo);
      if (!current) throw new RedpktError('ORDER_NOT_FOUND', `no withdrawal ${order.orderNo}`);
      return current;
    }
  }
}

/**
 * For the worker's `withdrawal` task (ref: withdrawalNo), and the request itself: transfers the
 * held amount through finance, idempotent by withdrawalNo there, and settles the withdrawal.
 * Returns it as it stands: `pending` means "look again later"; a throw (DEPENDENCY_FAILED) too.
 */
export async function runWithdrawal(deps: WithdrawalDeps, withdrawalNo: string): Promise<Withdrawal> {
  const withdrawal = await deps.store.getWithdrawal(withdrawalNo);
  if (!withdrawal) throw new RedpktError('ORDER_NOT_FOUND', `no withdrawal ${withdrawalNo}`);
  if (withdrawal.status !== 'pending') return withdrawal;
  let order: ProviderOrder;
  try {
    order = await deps.provider.transfer({
      transferNo: withdrawalNo,
      uid: withdrawal.uid,
      amount: withdrawal.amount,
      notifyUrl: deps.notifyUrl,
    });
  } catch (e) {
    if (isRedpktError(e) && e.code === 'INSUFFICIENT_BALANCE') return afterRefusal(deps, withdrawalNo);
    throw e;
  }
  return settleFrom(deps, order);
}

/**
 * Finance refused the transfer for want of money (the platform float is short). That alone does
 * not say it recorded nothing: a transfer it stored earlier (held) may still be pending there and
 * be paid later, and giving the held amount back now would pay the user twice. So ask finance:
 * no order at all, or a final `failed` one, fails the withdrawal (the money goes back); a pending
 * one keeps it pending (its task looks again); a succeeded one settles it. A query that fails
 * throws, and the task retries.
 */
async function afterRefusal(deps: WithdrawalDeps, withdrawalNo: string): Promise<Withdrawal> {
  const order = await deps.provider.queryOrder(withdrawalNo);
  if (!order) {
    return (await deps.store.settleWithdrawal(withdrawalNo, 'failed', null, deps.now())).withdrawal;
  }
  if (order.kind !== 'transfer' || order.orderNo !== withdrawalNo) {
    throw new RedpktError(
      'INTERNAL',
      `finance's order ${order.orderNo} is a ${order.kind}, not withdrawal ${withdrawalNo}`,
    );
  }
  return settleFrom(deps, order);
}

/**
 * For finance's signed callback about a transfer: when its order number is one of our withdrawals,
 * settles it (duplicates and out-of-order events change nothing) and returns it; null otherwise.
 */
export async function applyWithdrawalEvent(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  order: ProviderOrder,
): Promise<Withdrawal | null> {
  if (order.kind !== 'transfer' || !(await deps.store.getWithdrawal(order.orderNo))) return null;
  return settleFrom(deps, order);
}
