/**
 * Opening many accounts at once (batch transfers open every payee), written once over finance's
 * Dialect. One plain read finds the missing accounts; only when some are missing does a write
 * transaction run, under the issuer's row lock as every opening (`openAccount`, fixture installs),
 * so two openings of one account never both insert it. Each new account is funded exactly as on
 * first use: its own `funding` pair (orderNo `funding:<id>`); the issuer is debited once.
 */
import { RedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import { balanceAfter } from './balance-bounds.js';
import { BATCH_CHUNK } from './batch-dialect.js';
import { inChunks } from './batch-sql.js';
import type { Dialect } from './dialect.js';
import { movementEntries } from './money-moves.js';
import type { Account, FinanceStore, LedgerEntry } from './types.js';
import { ISSUER_ACCOUNT } from './types.js';

export function createOpenAccountsOperation(d: Dialect): Pick<FinanceStore, 'openAccounts'> {
  return {
    async openAccounts(wanted, opts) {
      const balances = new Map<string, Fen>();
      for (const w of wanted) if (!balances.has(w.id)) balances.set(w.id, w.initialBalance);
      const open = await d.openAccountIds([...balances.keys()]);
      const missing = [...balances.keys()].filter((id) => !open.has(id));
      if (missing.length === 0) return;
      await d.write(async (tx) => {
        const issuer = (await tx.lockAccounts([ISSUER_ACCOUNT])).get(ISSUER_ACCOUNT);
        if (!issuer) throw new RedpktError('INTERNAL', 'the issuer account is missing');
        // a plain read is enough: whoever opens an account holds the issuer's lock, taken above
        const existing = new Set<string>();
        await inChunks(missing, BATCH_CHUNK, async (part) => {
          for (const id of await tx.existingAccounts(part)) existing.add(id);
        });
        const rows: Account[] = [];
        const ledger: Omit<LedgerEntry, 'id'>[] = [];
        let total = 0;
        for (const id of missing) {
          if (existing.has(id)) continue;
          const amount = balances.get(id) ?? 0;
          rows.push({ id, balance: amount, createdAt: opts.now, updatedAt: opts.now });
          if (amount <= 0) continue;
          const txnId = opts.newTxnId();
          ledger.push(
            ...movementEntries({
              from: ISSUER_ACCOUNT,
              to: id,
              amount,
              kind: 'funding',
              orderNo: `funding:${id}`,
              txnId,
              now: opts.now,
            }),
          );
          total += amount;
        }
        if (rows.length === 0) return;
        // past the ledger's bound the whole opening is refused (VALIDATION_FAILED), nothing written
        balanceAfter(issuer, -total);
        await tx.insertAccounts(rows);
        if (total > 0) {
          await tx.addToBalance(ISSUER_ACCOUNT, -total, opts.now);
          await tx.insertLedgerChunked(ledger);
        }
      });
    },
  };
}
