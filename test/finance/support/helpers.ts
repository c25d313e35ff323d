import { expect } from 'vitest';
import { isRedpktError } from '../../../src/domain/errors.js';
import type { ErrorCode } from '../../../src/domain/errors.js';
import { DEFAULT_MERCHANT_INITIAL_BALANCE } from '../../../src/finance/create-finance.js';
import { newTxnId } from '../../../src/finance/ids.js';
import { MERCHANT_ACCOUNT } from '../../../src/finance/store/types.js';
import type { FinanceHarness } from './finance-harness.js';

export type Get = () => FinanceHarness;

export async function balanceOf(h: FinanceHarness, account: string): Promise<number | undefined> {
  return (await h.client.getAccount(account))?.balance;
}

/**
 * The merchant's balance, its account opened first (as any transfer opens it) when it is not yet,
 * so a test run alone and a test run after others measure from the same start.
 */
export async function merchantOf(h: FinanceHarness, initialBalance = DEFAULT_MERCHANT_INITIAL_BALANCE) {
  await h.finance.store.openAccount(MERCHANT_ACCOUNT, initialBalance, { now: Date.now(), newTxnId });
  return (await balanceOf(h, MERCHANT_ACCOUNT)) ?? 0;
}

/** The error code a promise rejects with (fails the test when it resolves). */
export async function codeOf(p: Promise<unknown>): Promise<ErrorCode> {
  try {
    await p;
  } catch (e) {
    if (isRedpktError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a RedpktError, got a result');
}

/** Every ledger entry, read through the client page by page (keyset pagination). */
export async function readWholeLedger(h: FinanceHarness, pageSize = 50) {
  const all = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await h.client.listLedger({
      limit: pageSize,
      ...(afterId === undefined ? {} : { afterId }),
    });
    all.push(...page.entries);
    if (page.nextAfterId === null) return all;
    afterId = page.nextAfterId;
  }
}

/** The books balance: the ledger sums to 0, balances sum to 0, every balance equals its ledger. */
export async function expectBooksBalanced(h: FinanceHarness): Promise<void> {
  const books = await h.finance.store.checkBooks();
  expect(books.ledgerTotal).toBe(0);
  expect(books.balanceTotal).toBe(0);
  expect(books.mismatched).toEqual([]);
}

/** Creates a pay order and pays it at the cashier; returns the succeeded order. */
export async function paidOrder(h: FinanceHarness, uid: string, amount: number, notifyUrl: string) {
  const payOrderNo = h.id('PAY');
  const { cashierUrl } = await h.client.createPayOrder({
    payOrderNo,
    payerUid: uid,
    amount,
    subject: 'packet',
    notifyUrl,
  });
  const res = await fetch(cashierUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${await h.token(uid)}` },
  });
  expect(res.status).toBe(200);
  const { order } = (await res.json()) as { order: { orderNo: string; status: string; txnId: string } };
  expect(order.status).toBe('succeeded');
  return order;
}

/** Moves the merchant's whole float to a sink user, so the merchant holds `keep` fen. */
export async function drainMerchant(h: FinanceHarness, keep = 0): Promise<void> {
  const balance = (await balanceOf(h, MERCHANT_ACCOUNT)) ?? 0;
  if (balance <= keep) throw new Error(`the merchant holds only ${balance} fen`);
  const order = await h.client.transfer({
    transferNo: h.id('DRAIN'),
    uid: h.id('sink'),
    amount: balance - keep,
    notifyUrl: h.receiver.url('drain'),
  });
  expect(order.status).toBe('succeeded');
  expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(keep);
}

/** Runs `fn` with finance holding new transfers and refunds (stored, pending, not paid); then lets go. */
export async function whileHeld<T>(h: FinanceHarness, fn: () => Promise<T>): Promise<T> {
  h.finance.knobs.set({ holdOrders: true });
  try {
    return await fn();
  } finally {
    h.finance.knobs.set({ holdOrders: false });
  }
}
