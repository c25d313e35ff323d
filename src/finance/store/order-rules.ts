/**
 * What every order-writing operation agrees on: how a replay is compared with the stored order
 * and how a new order starts. Shared by operations.ts and transfer-batch.ts.
 */
import { RedpktError } from '../../domain/errors.js';
import type { StoredOrder } from './types.js';

function conflict(orderNo: string, field: string): never {
  throw new RedpktError('IDEMPOTENCY_CONFLICT', `order ${orderNo} exists with a different ${field}`, {
    details: { orderNo, field },
  });
}

/**
 * Throws IDEMPOTENCY_CONFLICT when a replay differs from the stored order in any field it names.
 * `notifyUrl` is where to call back, not what the order is: a caller whose address changed (a
 * restarted service on another port) replays the same order, and the first URL is kept.
 */
export function assertSameRequest(stored: StoredOrder, expected: Partial<StoredOrder>): void {
  for (const [field, value] of Object.entries(expected)) {
    if (field === 'notifyUrl') continue;
    if (stored[field as keyof StoredOrder] !== value) conflict(stored.orderNo, field);
  }
}

export function newOrder(
  fields: Pick<StoredOrder, 'orderNo' | 'kind' | 'uid' | 'amount' | 'notifyUrl'> & Partial<StoredOrder>,
  now: number,
): StoredOrder {
  return {
    status: 'pending',
    txnId: null,
    payOrderNo: null,
    subject: '',
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
