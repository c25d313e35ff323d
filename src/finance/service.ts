/**
 * The provider's use cases: open accounts on first use, run the store's atomic money operations
 * with the current knobs, and send a signed callback when an order reaches a final state.
 */
import { RedpktError } from '../domain/errors.js';
import type { Fen } from '../domain/money.js';
import { newTxnId } from './ids.js';
import type { Knobs } from './knobs.js';
import type { Random } from './random.js';
import type { Notifier } from './notifier.js';
import type {
  FinanceStore,
  NewPayOrder,
  NewRefund,
  NewTransfer,
  OrderResult,
  StoredOrder,
  TransferItemResult,
} from './store/types.js';
import { MERCHANT_ACCOUNT, userAccount } from './store/types.js';

export interface FinanceServiceDeps {
  store: FinanceStore;
  knobs: Knobs;
  notifier: Notifier;
  now: () => number;
  /** Opening balance of a user's account, funded from the issuer. */
  initialBalance: Fen;
  /** Opening balance of the merchant (the platform's float that pays transfers). */
  merchantInitialBalance: Fen;
  /** Issue 24: where transaction ids get their randomness (the simulation's seed); default crypto. */
  random?: Random;
}

export interface TransferManyInput {
  transfers: readonly { transferNo: string; uid: string; amount: Fen }[];
  notifyUrl: string;
}

export interface FinanceService {
  createPayOrder(input: NewPayOrder): Promise<StoredOrder>;
  pay(payOrderNo: string, uid: string): Promise<StoredOrder>;
  /** Issue 4: the packet service gives up on an unpaid order; a succeeded one comes back as is. */
  closePayOrder(payOrderNo: string): Promise<StoredOrder>;
  transfer(input: NewTransfer): Promise<StoredOrder>;
  /**
   * Many transfers in one store transaction, one result per item in input order. Sends no callback:
   * the answer gives every order it settles; an order it leaves pending (held) is called back by
   * the later `transfer` that settles it (see README, "Batch transfers").
   */
  transferMany(input: TransferManyInput): Promise<TransferItemResult[]>;
  refund(input: NewRefund): Promise<StoredOrder>;
}

export function createFinanceService(deps: FinanceServiceDeps): FinanceService {
  const { store, notifier } = deps;
  const writeOpts = () => {
    const now = deps.now();
    return { now, newTxnId: () => newTxnId(now, deps.random) };
  };
  const open = (id: string, balance: Fen) => store.openAccount(id, balance, writeOpts());
  const announce = ({ order, changed }: OrderResult): StoredOrder => {
    if (changed && order.status !== 'pending') notifier.notify(order);
    return order;
  };

  return {
    async createPayOrder(input) {
      return (await store.createPayOrder(input, deps.now())).order;
    },

    async pay(payOrderNo, uid) {
      // Refuse strangers before opening an account for them; the store checks again under lock.
      const order = await store.getOrder(payOrderNo);
      if (!order || order.kind !== 'payment')
        throw new RedpktError('ORDER_NOT_FOUND', `no payment order ${payOrderNo}`);
      if (order.uid !== uid) throw new RedpktError('FORBIDDEN', 'only the payer of an order may pay it');
      await open(userAccount(uid), deps.initialBalance);
      await open(MERCHANT_ACCOUNT, deps.merchantInitialBalance);
      return announce(await store.payOrder(payOrderNo, uid, writeOpts()));
    },

    async closePayOrder(payOrderNo) {
      return announce(await store.closePayOrder(payOrderNo, deps.now()));
    },

    async transfer(input) {
      await open(MERCHANT_ACCOUNT, deps.merchantInitialBalance);
      await open(userAccount(input.uid), deps.initialBalance);
      return announce(await store.transfer(input, { ...writeOpts(), hold: deps.knobs.get().holdOrders }));
    },

    async transferMany({ transfers, notifyUrl }) {
      await store.openAccounts(
        [
          { id: MERCHANT_ACCOUNT, initialBalance: deps.merchantInitialBalance },
          ...transfers.map((t) => ({ id: userAccount(t.uid), initialBalance: deps.initialBalance })),
        ],
        writeOpts(),
      );
      const items = transfers.map(({ transferNo, uid, amount }) => ({ transferNo, uid, amount, notifyUrl }));
      // No announce: a batch answers the final state of what it settles (see the interface).
      return store.transferMany(items, { ...writeOpts(), hold: deps.knobs.get().holdOrders });
    },

    async refund(input) {
      await open(MERCHANT_ACCOUNT, deps.merchantInitialBalance);
      const payment = await store.getOrder(input.payOrderNo);
      if (payment) await open(userAccount(payment.uid), deps.initialBalance);
      return announce(await store.refund(input, { ...writeOpts(), hold: deps.knobs.get().holdOrders }));
    },
  };
}
