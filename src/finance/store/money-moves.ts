/**
 * Moving money inside one of finance's write transactions: both ledger entries, both balances,
 * and the checks that come first (enough money, the ledger's bound), so a refused movement
 * writes nothing.
 */
import { RedpktError, isRedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import { balanceAfter } from './balance-bounds.js';
import type { TxOps } from './dialect.js';
import type {
  Account,
  LedgerEntry,
  LedgerEntryKind,
  OrderResult,
  StoredOrder,
  WriteOptions,
} from './types.js';
import { ISSUER_ACCOUNT } from './types.js';

export interface Movement {
  from: string;
  to: string;
  amount: Fen;
  kind: LedgerEntryKind;
  orderNo: string;
  txnId: string;
  now: number;
}

/**
 * The balances of both accounts after a movement, checked and not written: only the issuer may go
 * negative (INSUFFICIENT_BALANCE for anyone else short of money) and no balance may leave the
 * ledger's bound (VALIDATION_FAILED). `accounts` are the locked rows (balances as of now).
 */
export function checkMovement(
  accounts: ReadonlyMap<string, Account>,
  m: Pick<Movement, 'from' | 'to' | 'amount'>,
): { source: Account; target: Account; sourceAfter: Fen; targetAfter: Fen } {
  const source = accounts.get(m.from);
  const target = accounts.get(m.to);
  if (!source || !target) {
    throw new RedpktError('INTERNAL', `account ${source ? m.to : m.from} is not open`);
  }
  if (m.from !== ISSUER_ACCOUNT && source.balance < m.amount) {
    throw new RedpktError('INSUFFICIENT_BALANCE', `account ${m.from} cannot pay ${m.amount} fen`, {
      details: { account: m.from, balance: source.balance, amount: m.amount },
    });
  }
  return {
    source,
    target,
    sourceAfter: balanceAfter(source, -m.amount),
    targetAfter: balanceAfter(target, m.amount),
  };
}

/** The two ledger entries of a movement: the debit (negative) on `from`, the credit on `to`. */
export function movementEntries(m: Movement): Omit<LedgerEntry, 'id'>[] {
  const common = { txnId: m.txnId, orderNo: m.orderNo, kind: m.kind, createdAt: m.now };
  return [
    { ...common, account: m.from, direction: 'debit', amount: -m.amount },
    { ...common, account: m.to, direction: 'credit', amount: m.amount },
  ];
}

/**
 * Debits `from`, credits `to`, writes both ledger entries, after `checkMovement` (so a refused
 * movement writes nothing). `accounts` (the locked rows) is updated, so a second movement in the
 * same transaction checks the new balances.
 */
export async function moveMoney(tx: TxOps, accounts: Map<string, Account>, m: Movement): Promise<void> {
  const { source, target, sourceAfter, targetAfter } = checkMovement(accounts, m);
  await tx.addToBalance(m.from, -m.amount, m.now);
  await tx.addToBalance(m.to, m.amount, m.now);
  await tx.insertLedger(movementEntries(m));
  accounts.set(m.from, { ...source, balance: sourceAfter, updatedAt: m.now });
  accounts.set(m.to, { ...target, balance: targetAfter, updatedAt: m.now });
}

/** Moves an order's money and marks it succeeded; returns the settled order. */
export async function settle(
  tx: TxOps,
  order: StoredOrder,
  from: string,
  to: string,
  opts: Pick<WriteOptions, 'now' | 'newTxnId'>,
): Promise<StoredOrder> {
  const accounts = await tx.lockAccounts([from, to]);
  const txnId = opts.newTxnId();
  await moveMoney(tx, accounts, {
    from,
    to,
    amount: order.amount,
    kind: order.kind,
    orderNo: order.orderNo,
    txnId,
    now: opts.now,
  });
  await tx.settleOrder(order.orderNo, txnId, opts.now);
  return { ...order, status: 'succeeded', txnId, updatedAt: opts.now };
}

/**
 * Settles a pending transfer or refund (`from` pays it). When `from` cannot afford it:
 * - an order this very call created is refused with INSUFFICIENT_BALANCE: the transaction rolls
 *   back and nothing is recorded (the caller may ask again, as a new order);
 * - an order stored by an EARLIER call (held while `holdOrders` was on) becomes final `failed`,
 *   with no money moved and a callback to send (changed=true), as a real provider answers an order
 *   it accepted and could not pay. A later call with its number gets the same failed order and
 *   never pays it, so the caller can safely give the money back on its side.
 * Any other error (the ledger's bound included) leaves the order pending and writes nothing.
 */
export async function settleOrFail(
  tx: TxOps,
  order: StoredOrder,
  from: string,
  to: string,
  opts: Pick<WriteOptions, 'now' | 'newTxnId'> & { created: boolean },
): Promise<OrderResult> {
  try {
    return { order: await settle(tx, order, from, to, opts), changed: true };
  } catch (e) {
    // moveMoney refuses before writing anything, so the transaction is still clean here
    if (opts.created || !isRedpktError(e) || e.code !== 'INSUFFICIENT_BALANCE') throw e;
    await tx.failOrder(order.orderNo, opts.now);
    return { order: { ...order, status: 'failed', updatedAt: opts.now }, changed: true };
  }
}
