/**
 * Deciding a batch of transfers under the transaction's locks, before anything is written: each
 * item exactly as `transfer` (operations.ts) decides it alone, in input order, against the balances
 * the items before it left. The plan says what to write; refused items are only in `results`.
 */
import { isRedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import { checkMovement, movementEntries } from './money-moves.js';
import { assertSameRequest, newOrder } from './order-rules.js';
import type {
  Account,
  LedgerEntry,
  NewTransfer,
  StoredOrder,
  TransferItemResult,
  WriteOptions,
} from './types.js';
import { MERCHANT_ACCOUNT, userAccount } from './types.js';

export interface TransferPlan {
  /** One per input, in input order. */
  results: TransferItemResult[];
  /** New orders: pending (held) or already succeeded with their txnId. */
  inserts: StoredOrder[];
  /** Stored pending orders the merchant pays now. */
  settles: { orderNo: string; txnId: string }[];
  /** Stored pending orders the merchant cannot pay: final `failed`, no money moved. */
  fails: string[];
  /** Net balance change per account (the merchant's is minus the batch's total). */
  deltas: Map<string, Fen>;
  ledger: Omit<LedgerEntry, 'id'>[];
}

/** The refusals that concern one item only; anything else fails the whole call. */
const ITEM_REFUSALS: ReadonlySet<string> = new Set([
  'IDEMPOTENCY_CONFLICT',
  'INSUFFICIENT_BALANCE',
  'VALIDATION_FAILED',
]);

/**
 * `stored`: the locked orders by number; `locked`: the locked accounts (the merchant and the
 * payees of every item that may pay), not modified.
 */
export function planTransfers(
  inputs: readonly NewTransfer[],
  stored: ReadonlyMap<string, StoredOrder>,
  locked: ReadonlyMap<string, Account>,
  opts: WriteOptions,
): TransferPlan {
  const plan: TransferPlan = {
    results: [],
    inserts: [],
    settles: [],
    fails: [],
    deltas: new Map(),
    ledger: [],
  };
  const balances = new Map(locked);
  const { now } = opts;

  /** Moves the order's money in the plan and returns its txnId; throws (planning nothing) when refused. */
  const pay = (order: StoredOrder): string => {
    const m = { from: MERCHANT_ACCOUNT, to: userAccount(order.uid), amount: order.amount };
    const { source, target, sourceAfter, targetAfter } = checkMovement(balances, m);
    const txnId = opts.newTxnId();
    balances.set(m.from, { ...source, balance: sourceAfter, updatedAt: now });
    balances.set(m.to, { ...target, balance: targetAfter, updatedAt: now });
    plan.deltas.set(m.from, (plan.deltas.get(m.from) ?? 0) - m.amount);
    plan.deltas.set(m.to, (plan.deltas.get(m.to) ?? 0) + m.amount);
    plan.ledger.push(...movementEntries({ ...m, kind: 'transfer', orderNo: order.orderNo, txnId, now }));
    return txnId;
  };

  const decide = (input: NewTransfer): TransferItemResult => {
    const expected = {
      kind: 'transfer' as const,
      uid: input.uid,
      amount: input.amount,
      notifyUrl: input.notifyUrl,
    };
    const order = stored.get(input.transferNo);
    if (!order) {
      const created = newOrder({ orderNo: input.transferNo, ...expected }, now);
      // a new transfer the merchant cannot afford throws here: refused, not stored
      const settled: StoredOrder = opts.hold
        ? created
        : { ...created, status: 'succeeded', txnId: pay(created) };
      plan.inserts.push(settled);
      return { order: settled, changed: true };
    }
    assertSameRequest(order, expected);
    if (order.status !== 'pending' || opts.hold) return { order, changed: false };
    try {
      const txnId = pay(order);
      plan.settles.push({ orderNo: order.orderNo, txnId });
      return { order: { ...order, status: 'succeeded', txnId, updatedAt: now }, changed: true };
    } catch (e) {
      // a stored (held) order the merchant cannot pay is failed for good, as settleOrFail does
      if (!isRedpktError(e) || e.code !== 'INSUFFICIENT_BALANCE') throw e;
      plan.fails.push(order.orderNo);
      return { order: { ...order, status: 'failed', updatedAt: now }, changed: true };
    }
  };

  for (const input of inputs) {
    try {
      plan.results.push(decide(input));
    } catch (e) {
      if (!isRedpktError(e) || !ITEM_REFUSALS.has(e.code)) throw e;
      plan.results.push({ error: e });
    }
  }
  return plan;
}
