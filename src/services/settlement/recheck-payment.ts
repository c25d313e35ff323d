/**
 * Issue 4: a payment's `payment_recheck` task. Asks finance how the order stands: paid -> the
 * packet becomes active; still pending -> ask again later, backing off; pending past the payment
 * timeout -> close the order AT FINANCE first (so the payer can no longer pay it), then ours and
 * the packet (unpaid -> closed). If finance answers that it was paid meanwhile, it is marked paid.
 */
import type { PaymentOrder } from '../../domain/order.js';
import type { ProviderOrder } from '../../domain/ports.js';
import { isRedpktError } from '../../domain/errors.js';
import type { SettlementDeps } from './settlement-deps.js';
import { DONE, dead, retry, type TaskOutcome } from './task-outcome.js';

/** The subject of a packet's payment order at finance (the cashier shows it). */
export const payOrderSubject = (packetId: string): string => `red packet ${packetId}`;

export async function runPaymentRecheck(
  deps: SettlementDeps,
  payOrderNo: string,
  attempts: number,
): Promise<TaskOutcome> {
  const payment = await deps.store.getPayment(payOrderNo);
  if (!payment) return dead(`no payment order ${payOrderNo}`);
  if (payment.status !== 'pending') return DONE;
  const order = await deps.provider.queryOrder(payOrderNo);
  if (order && order.status !== 'pending') return settlePayment(deps, payment, order);

  const now = deps.now();
  const deadline = payment.createdAt + deps.paymentTimeoutMs;
  if (now < deadline) {
    const backoff = Math.min(deps.retryMaxMs, deps.paymentRecheckDelayMs * 2 ** Math.max(0, attempts - 1));
    return retry('the payer has not paid yet', Math.min(deadline, now + backoff));
  }
  if (!order) await openAtFinance(deps, payment);
  return settlePayment(deps, payment, await deps.provider.closePayOrder(payOrderNo));
}

/** Applies finance's view of a payment to ours; shared by the task and the callback. */
export async function settlePayment(
  deps: Pick<SettlementDeps, 'store' | 'now'>,
  payment: Pick<PaymentOrder, 'payOrderNo'>,
  order: ProviderOrder,
): Promise<TaskOutcome & { changed: boolean }> {
  switch (order.status) {
    case 'succeeded': {
      const txnId = order.txnId ?? order.orderNo;
      const { changed } = await deps.store.markPaid(payment.payOrderNo, order.amount, txnId, deps.now());
      return { ...DONE, changed };
    }
    case 'failed':
    case 'closed': {
      const { changed } = await deps.store.closePayment(payment.payOrderNo, deps.now());
      return { ...DONE, changed };
    }
    case 'pending':
      return { ...retry('the payer has not paid yet'), changed: false };
  }
}

/**
 * Finance has never heard of the order (we crashed between our insert and the call): open it
 * there so that it can be closed there, or a client's later replay of the create would open a
 * payable order for a closed packet.
 */
async function openAtFinance(deps: SettlementDeps, payment: PaymentOrder): Promise<void> {
  try {
    await deps.provider.createPayOrder({
      payOrderNo: payment.payOrderNo,
      payerUid: payment.payerUid,
      amount: payment.amount,
      subject: payOrderSubject(payment.packetId),
      notifyUrl: deps.notifyUrl,
    });
  } catch (e) {
    // a racing create opened it first: closing it is all that is left
    if (!isRedpktError(e) || e.code !== 'IDEMPOTENCY_CONFLICT') throw e;
  }
}
