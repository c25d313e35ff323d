import { describe, expect, it } from 'vitest';
import { newTxnId } from '../../src/finance/ids.js';
import type { Get } from './support/helpers.js';
import { expectBooksBalanced } from './support/helpers.js';

export function storeContract(get: Get) {
  describe('the store', () => {
    it('migrates again without error and without touching the data', async () => {
      const h = get();
      const account = `user:${h.id('m')}`;
      await h.finance.store.openAccount(account, 10, { now: Date.now(), newTxnId });
      await h.finance.store.migrate();
      await h.finance.store.migrate();
      expect((await h.finance.store.getAccount(account))?.balance).toBe(10);
    });

    it('opens an account once, funded once, when 20 openings race', async () => {
      const h = get();
      const account = `user:${h.id('race')}`;
      const opened = await Promise.all(
        Array.from({ length: 20 }, () =>
          h.finance.store.openAccount(account, 2_500, { now: Date.now(), newTxnId }),
        ),
      );
      expect(opened.every((a) => a.id === account && a.balance === 2_500)).toBe(true);
      const entries = await h.finance.store.listLedger({ limit: 100_000 });
      expect(entries.filter((e) => e.account === account)).toHaveLength(1);
      await expectBooksBalanced(h);
    });

    it('refuses, in the database itself, to rewrite or delete ledger entries or to overdraw an account', async () => {
      const h = get();
      await h.finance.store.openAccount(`user:${h.id('x')}`, 1, { now: Date.now(), newTxnId });
      await expect(h.raw('UPDATE ledger_entries SET amount = amount + 1')).rejects.toThrow(/append-only/);
      await expect(h.raw('DELETE FROM ledger_entries')).rejects.toThrow(/append-only/);
      await expect(h.raw("UPDATE accounts SET balance = -1 WHERE id <> 'issuer'")).rejects.toThrow();
      await expectBooksBalanced(h);
    });
  });
}
