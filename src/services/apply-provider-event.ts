import type { ProviderEvent } from '../domain/ports.js';
import type { ServiceDeps } from './deps.js';

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
  // Failed payments, transfers and refunds are finished by the worker's re-check tasks.
  return { changed: false };
}
