import type { ProviderEvent } from '../domain/ports.js';
import type { ServiceDeps } from './deps.js';
import { settlePayment } from './settlement/recheck-payment.js';
import { settleRefund } from './settlement/refund-packet.js';
import { settleTransfer } from './settlement/transfer-claim.js';
import { applyWithdrawalEvent } from './subsidy/withdrawals.js';

export interface ApplyResult {
  /** true when the event changed our records; replays and events for later issues are false. */
  changed: boolean;
}

/**
 * Applies a verified provider event. Every branch is idempotent: duplicate and out-of-order
 * events change nothing (the store's transitions refuse to go backwards).
 */
export async function applyProviderEvent(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  event: ProviderEvent,
): Promise<ApplyResult> {
  const { order } = event;
  if (order.kind === 'payment' && order.status === 'succeeded') {
    const { changed } = await deps.store.markPaid(
      order.orderNo,
      order.amount,
      order.txnId ?? order.orderNo,
      deps.now(),
    );
    return { changed };
  }
  // Issue 4: closed payments, transfers and refunds. Each step refuses to go backwards, so a
  // duplicate or late event changes nothing; a pending one never comes (finance sends final states).
  if (order.status === 'pending') return { changed: false };
  switch (order.kind) {
    case 'payment':
      return { changed: (await settlePayment(deps, { payOrderNo: order.orderNo }, order)).changed };
    case 'transfer': {
      // Withdrawals (B2C subsidy balance -> wallet) are transfers too, numbered WDR…
      const before = await deps.store.getWithdrawal(order.orderNo);
      if (before) return { changed: (await applyWithdrawalEvent(deps, order))?.status !== before.status };
      return { changed: (await settleTransfer(deps, order.orderNo, order)).changed };
    }
    case 'refund':
      return { changed: (await settleRefund(deps, order.orderNo, order)).changed };
  }
}
