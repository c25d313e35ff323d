/**
 * Issue 4: a refund's `refund` task: the unclaimed remainder of an expired C2C packet goes back to
 * the sender through finance, idempotent by refundNo there. Only C2C packets get refund orders
 * (a B2C remainder returns to the campaign budget: issue 3).
 */
import type { ProviderOrder } from '../../domain/ports.js';
import type { SettlementDeps } from './settlement-deps.js';
import { DONE, dead, retry, type TaskOutcome } from './task-outcome.js';

export async function runRefundTask(deps: SettlementDeps, refundNo: string): Promise<TaskOutcome> {
  const refund = await deps.store.getRefund(refundNo);
  if (!refund) return dead(`no refund ${refundNo}`);
  if (refund.status === 'succeeded') return DONE;
  if (refund.status === 'failed') await deps.store.advanceRefund(refundNo, 'pending', deps.now());
  const order = await deps.provider.refund({
    refundNo,
    payOrderNo: refund.payOrderNo,
    amount: refund.amount,
    notifyUrl: deps.notifyUrl,
  });
  return settleRefund(deps, refundNo, order);
}

/** Applies finance's view of a refund to ours (and its packet); shared by the task and the callback. */
export async function settleRefund(
  deps: Pick<SettlementDeps, 'store' | 'now'>,
  refundNo: string,
  order: ProviderOrder,
): Promise<TaskOutcome & { changed: boolean }> {
  switch (order.status) {
    case 'succeeded': {
      const { changed } = await deps.store.advanceRefund(refundNo, 'succeeded', deps.now());
      return { ...DONE, changed };
    }
    case 'failed':
    case 'closed': {
      const { changed } = await deps.store.advanceRefund(refundNo, 'failed', deps.now());
      return { ...retry(`finance says the refund ${order.status}`), changed };
    }
    case 'pending':
      return { ...retry('finance has not settled the refund yet'), changed: false };
  }
}
