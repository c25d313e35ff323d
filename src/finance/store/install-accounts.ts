/**
 * Issue 5: installing fixture accounts in bulk, written once over finance's Dialect.
 *
 * One transaction per batch under the issuer's row lock (every account opening takes it first, so
 * an install and an opening on first use never both create one account). New accounts get their
 * balance in one multi-row INSERT; each is funded from the issuer by its own pair of `funding`
 * ledger entries (orderNo `funding:user:<uid>`, as `openAccount` writes), and the issuer is debited
 * the batch's total once, so the ledger still sums to 0 and every balance equals its ledger.
 */
import { RedpktError } from '../../domain/errors.js';
import { balanceAfter } from './balance-bounds.js';
import type { Dialect } from './dialect.js';
import type {
  FixtureAccountRow,
  InstallAccount,
  InstallConflict,
  InstallConflictField,
  InstallStore,
  InstallSummary,
} from './install-types.js';
import type { Account, LedgerEntry } from './types.js';
import { ISSUER_ACCOUNT, userAccount } from './types.js';

function conflict(uid: string, field: InstallConflictField, detail: string): InstallConflict {
  return { uid, code: 'IDEMPOTENCY_CONFLICT', field, message: `user ${uid}: ${detail}` };
}

/** null when the row replays the installed one; else the conflict. */
function compare(installed: FixtureAccountRow, row: InstallAccount): InstallConflict | null {
  if (installed.balance !== row.balance) {
    return conflict(
      row.uid,
      'balance',
      `installed with balance ${installed.balance} fen, now ${row.balance} fen`,
    );
  }
  if (installed.realname !== row.realname) {
    return conflict(
      row.uid,
      'realname',
      `installed with real-name ${installed.realname}, now ${row.realname}`,
    );
  }
  return null;
}

export function createInstallOperations(d: Dialect): InstallStore {
  return {
    async realnameOf(uid) {
      return (await d.fixtureAccount(uid))?.realname ?? null;
    },

    installAccounts(rows, opts) {
      if (rows.length === 0) return Promise.resolve({ installed: 0, unchanged: 0, conflicts: [] });
      return d.write(async (tx): Promise<InstallSummary> => {
        const issuer = (await tx.lockAccounts([ISSUER_ACCOUNT])).get(ISSUER_ACCOUNT);
        if (!issuer) throw new RedpktError('INTERNAL', 'the issuer account is missing');
        const uids = [...new Set(rows.map((r) => r.uid))];
        const installed = await tx.fixtureAccounts(uids);
        const existing = await tx.existingAccounts(uids.map(userAccount));

        const summary: InstallSummary = { installed: 0, unchanged: 0, conflicts: [] };
        const accounts: Account[] = [];
        const fixtures: FixtureAccountRow[] = [];
        const ledger: Omit<LedgerEntry, 'id'>[] = [];
        let total = 0;
        for (const row of rows) {
          const before = installed.get(row.uid);
          if (before) {
            const c = compare(before, row);
            if (c) summary.conflicts.push(c);
            else summary.unchanged++;
            continue;
          }
          const id = userAccount(row.uid);
          if (existing.has(id)) {
            summary.conflicts.push(
              conflict(row.uid, 'account', `account ${id} was opened before, not by a fixtures install`),
            );
            continue;
          }
          const fixture = { ...row, installedAt: opts.now };
          installed.set(row.uid, fixture);
          existing.add(id);
          fixtures.push(fixture);
          accounts.push({ id, balance: row.balance, createdAt: opts.now, updatedAt: opts.now });
          if (row.balance > 0) {
            const common = {
              txnId: opts.newTxnId(),
              orderNo: `funding:${id}`,
              kind: 'funding' as const,
              createdAt: opts.now,
            };
            ledger.push(
              { ...common, account: ISSUER_ACCOUNT, direction: 'debit', amount: -row.balance },
              { ...common, account: id, direction: 'credit', amount: row.balance },
            );
            total += row.balance;
          }
          summary.installed++;
        }
        // the issuer funds the whole batch: past the ledger's bound the batch is refused whole
        // (VALIDATION_FAILED, nothing written), before any row is inserted
        balanceAfter(issuer, -total);
        if (accounts.length > 0) {
          await tx.insertAccounts(accounts);
          await tx.insertFixtureAccounts(fixtures);
          if (total > 0) {
            await tx.addToBalance(ISSUER_ACCOUNT, -total, opts.now);
            await tx.insertLedgerChunked(ledger);
          }
        }
        return summary;
      });
    },
  };
}
