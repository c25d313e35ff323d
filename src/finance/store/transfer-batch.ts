/**
 * Batch transfers, written once over finance's Dialect: ONE write transaction per batch. Lock order
 * as everywhere in finance: the orders (one locking read, by number), then the accounts in id
 * order (the merchant and the payees, one locking read); then the plan (./transfer-plan.ts) is
 * written set-based: one multi-row INSERT of the new orders, one UPDATE for the stored orders
 * settled and one for those failed, one UPDATE of every touched balance (the merchant's by the
 * batch's total), one multi-row INSERT of the ledger entries. Refused items write nothing.
 */
import { RedpktError } from '../../domain/errors.js';
import type { Dialect } from './dialect.js';
import { planTransfers } from './transfer-plan.js';
import type { FinanceStore, NewTransfer } from './types.js';
import { MERCHANT_ACCOUNT, userAccount } from './types.js';

function assertUniqueNumbers(inputs: readonly NewTransfer[]): void {
  const seen = new Set<string>();
  for (const { transferNo } of inputs) {
    if (seen.has(transferNo)) {
      throw new RedpktError('VALIDATION_FAILED', `transferNo ${transferNo} appears more than once`, {
        details: { transferNo },
      });
    }
    seen.add(transferNo);
  }
}

export function createTransferBatchOperations(d: Dialect): Pick<FinanceStore, 'transferMany'> {
  return {
    async transferMany(inputs, opts) {
      assertUniqueNumbers(inputs);
      if (inputs.length === 0) return [];
      return d.write(async (tx) => {
        const stored = await tx.lockOrders(inputs.map((i) => i.transferNo));
        // Only items that may move money need accounts: a held batch or a pure replay locks none.
        const paying = opts.hold
          ? []
          : inputs.filter((i) => (stored.get(i.transferNo)?.status ?? 'pending') === 'pending');
        const locked =
          paying.length === 0
            ? new Map()
            : await tx.lockAccountSet([MERCHANT_ACCOUNT, ...paying.map((i) => userAccount(i.uid))]);
        const plan = planTransfers(inputs, stored, locked, opts);
        await tx.insertOrders(plan.inserts);
        // the plan was made under the orders' locks: each of its pending orders must still be one
        const settled = await tx.settleOrders(plan.settles, opts.now);
        const failed = await tx.failOrders(plan.fails, opts.now);
        if (settled !== plan.settles.length || failed !== plan.fails.length)
          throw new Error(
            `a transfer batch found ${settled}/${plan.settles.length} orders to settle and ` +
              `${failed}/${plan.fails.length} to fail still pending under its locks: nothing written`,
          );
        await tx.addToBalances(plan.deltas, opts.now);
        await tx.insertLedgerChunked(plan.ledger);
        return plan.results;
      });
    },
  };
}
