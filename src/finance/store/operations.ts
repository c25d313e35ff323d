/**
 * The money logic of the simulated provider, written once over a dialect's TxOps.
 * Lock order in every transaction: payment order → the order itself → accounts by id.
 */
import { RedpktError } from '../../domain/errors.js';
import { createRainOperations } from '../rain/rain-operations.js';
import type { Dialect } from './dialect.js';
import { createInstallOperations } from './install-accounts.js';
import { moveMoney, settle, settleOrFail } from './money-moves.js';
import { createOpenAccountsOperation } from './open-accounts.js';
import { assertSameRequest, newOrder } from './order-rules.js';
import { createTransferBatchOperations } from './transfer-batch.js';
import type { Account, FinanceStore, NewPayOrder, NewRefund, NewTransfer, OrderResult } from './types.js';
import { ISSUER_ACCOUNT, MERCHANT_ACCOUNT, userAccount } from './types.js';

export function createOperations(d: Dialect): FinanceStore {
  return {
    ...createRainOperations(d), // issue 3: the reward issuer
    ...createInstallOperations(d), // issue 5: fixture accounts
    ...createOpenAccountsOperation(d), // batch transfers open their payees at once
    ...createTransferBatchOperations(d), // batch transfers
    kind: d.kind,
    migrate: () => d.migrate(),
    close: () => d.close(),
    getOrder: (orderNo) => d.getOrder(orderNo),
    getAccount: (id) => d.getAccount(id),
    listLedger: (query) => d.listLedger(query),
    checkBooks: () => d.checkBooks(),
    acceptSignature: (signature, expiresAt) => d.acceptSignature(signature, expiresAt), // issue 18
    forgetSignatures: (now) => d.forgetSignatures(now),

    async openAccount(id, initialBalance, opts) {
      const existing = await d.getAccount(id);
      if (existing) return existing;
      return d.write(async (tx) => {
        // Every opening locks the issuer first, so two openings of one account run one after the other.
        const locked = await tx.lockAccounts([ISSUER_ACCOUNT, id]);
        const found = locked.get(id);
        if (found) return found;
        const account: Account = { id, balance: 0, createdAt: opts.now, updatedAt: opts.now };
        await tx.insertAccount(account);
        if (initialBalance > 0) {
          locked.set(id, account);
          await moveMoney(tx, locked, {
            from: ISSUER_ACCOUNT,
            to: id,
            amount: initialBalance,
            kind: 'funding',
            orderNo: `funding:${id}`,
            txnId: opts.newTxnId(),
            now: opts.now,
          });
        }
        return { ...account, balance: initialBalance };
      });
    },

    createPayOrder(input: NewPayOrder, now: number): Promise<OrderResult> {
      return d.write(async (tx) => {
        const expected = {
          kind: 'payment' as const,
          uid: input.payerUid,
          amount: input.amount,
          subject: input.subject,
          notifyUrl: input.notifyUrl,
        };
        const stored = await tx.lockOrder(input.payOrderNo);
        if (stored) {
          assertSameRequest(stored, expected);
          return { order: stored, changed: false };
        }
        const order = newOrder({ orderNo: input.payOrderNo, ...expected }, now);
        await tx.insertOrder(order);
        return { order, changed: true };
      });
    },

    payOrder(payOrderNo, uid, opts): Promise<OrderResult> {
      return d.write(async (tx) => {
        const order = await tx.lockOrder(payOrderNo);
        if (!order || order.kind !== 'payment') {
          throw new RedpktError('ORDER_NOT_FOUND', `no payment order ${payOrderNo}`);
        }
        if (order.uid !== uid) throw new RedpktError('FORBIDDEN', 'only the payer of an order may pay it');
        if (order.status === 'succeeded') return { order, changed: false };
        if (order.status !== 'pending') {
          throw new RedpktError('ILLEGAL_TRANSITION', `order ${payOrderNo} is ${order.status}`, {
            details: { from: order.status, to: 'succeeded' },
          });
        }
        return { order: await settle(tx, order, userAccount(uid), MERCHANT_ACCOUNT, opts), changed: true };
      });
    },

    closePayOrder(payOrderNo, now): Promise<OrderResult> {
      return d.write(async (tx) => {
        const order = await tx.lockOrder(payOrderNo);
        if (!order || order.kind !== 'payment') {
          throw new RedpktError('ORDER_NOT_FOUND', `no payment order ${payOrderNo}`);
        }
        if (order.status !== 'pending') return { order, changed: false };
        await tx.closeOrder(payOrderNo, now);
        return { order: { ...order, status: 'closed', updatedAt: now }, changed: true };
      });
    },

    transfer(input: NewTransfer, opts): Promise<OrderResult> {
      return d.write(async (tx) => {
        const expected = {
          kind: 'transfer' as const,
          uid: input.uid,
          amount: input.amount,
          notifyUrl: input.notifyUrl,
        };
        let order = await tx.lockOrder(input.transferNo);
        let changed = false;
        if (order) {
          assertSameRequest(order, expected);
        } else {
          order = newOrder({ orderNo: input.transferNo, ...expected }, opts.now);
          await tx.insertOrder(order);
          changed = true;
        }
        if (order.status !== 'pending' || opts.hold) return { order, changed };
        return settleOrFail(tx, order, MERCHANT_ACCOUNT, userAccount(order.uid), {
          ...opts,
          created: changed,
        });
      });
    },

    refund(input: NewRefund, opts): Promise<OrderResult> {
      return d.write(async (tx) => {
        // Locking the payment first serializes every refund of it, which makes the sum check safe.
        const payment = await tx.lockOrder(input.payOrderNo);
        if (!payment || payment.kind !== 'payment') {
          throw new RedpktError('ORDER_NOT_FOUND', `no payment order ${input.payOrderNo}`);
        }
        const expected = {
          kind: 'refund' as const,
          payOrderNo: input.payOrderNo,
          amount: input.amount,
          notifyUrl: input.notifyUrl,
        };
        let order = await tx.lockOrder(input.refundNo);
        let changed = false;
        if (order) {
          assertSameRequest(order, expected);
        } else {
          if (payment.status !== 'succeeded') {
            throw new RedpktError(
              'ILLEGAL_TRANSITION',
              `payment ${payment.orderNo} is ${payment.status}, not succeeded`,
              {
                details: { from: payment.status },
              },
            );
          }
          const refunded = await tx.sumRefunds(payment.orderNo);
          if (refunded + input.amount > payment.amount) {
            throw new RedpktError(
              'INSUFFICIENT_BALANCE',
              `payment ${payment.orderNo} has only ${payment.amount - refunded} fen left to refund`,
              {
                details: {
                  payOrderNo: payment.orderNo,
                  paid: payment.amount,
                  refunded,
                  requested: input.amount,
                },
              },
            );
          }
          order = newOrder({ orderNo: input.refundNo, uid: payment.uid, ...expected }, opts.now);
          await tx.insertOrder(order);
          changed = true;
        }
        if (order.status !== 'pending' || opts.hold) return { order, changed };
        return settleOrFail(tx, order, MERCHANT_ACCOUNT, userAccount(order.uid), {
          ...opts,
          created: changed,
        });
      });
    },
  };
}
