/** Remote control of a running finance (knobs, counters, the books), for load runs and tests. */
import { z } from 'zod';
import { createCaller, expectOk } from './http-caller.js';
import type { CallerOptions } from './http-caller.js';
import { KnobsSchema } from './knobs.js';
import type { FinanceKnobs, KnobsPatch } from './knobs.js';
import type { StatsSnapshot } from './stats.js';
import type { InstallAccount, InstallSummary, RealnameStatus } from './store/install-types.js';
import type { BooksCheck } from './store/types.js';

export interface FinanceAdminClient {
  getKnobs(): Promise<FinanceKnobs>;
  setKnobs(patch: KnobsPatch): Promise<FinanceKnobs>;
  stats(): Promise<StatsSnapshot>;
  resetStats(): Promise<void>;
  books(): Promise<BooksCheck>;
  /** Issue 5: installs up to 1,000 fixture users in one transaction (see store/install-types.ts). */
  installAccounts(accounts: readonly InstallAccount[]): Promise<InstallSummary>;
  /** Issue 5: the mocked real-name result installed for a user, `unknown` when none was. */
  realname(uid: string): Promise<RealnameStatus | 'unknown'>;
  close(): Promise<void>;
}

export const KnobsAnswer = z.object({ knobs: KnobsSchema });
export const StatsAnswer = z.object({
  requests: z.object({
    total: z.number(),
    routes: z.record(z.string(), z.object({ requests: z.number(), errors: z.number() })),
  }),
});
export const BooksAnswer = z.object({
  books: z.object({
    ledgerTotal: z.number(),
    balanceTotal: z.number(),
    mismatched: z.array(z.object({ account: z.string(), balance: z.number(), ledger: z.number() })),
    accounts: z.number(),
    entries: z.number(),
  }),
});

export const InstallAnswer = z.object({
  installed: z.number().int(),
  unchanged: z.number().int(),
  conflicts: z.array(
    z.object({
      uid: z.string(),
      code: z.literal('IDEMPOTENCY_CONFLICT'),
      field: z.enum(['balance', 'realname', 'account']),
      message: z.string(),
    }),
  ),
});
export const RealnameAnswer = z.object({ uid: z.string(), realname: z.enum(['ok', 'fail', 'unknown']) });

export function createFinanceAdminClient(opts: CallerOptions): FinanceAdminClient {
  const caller = createCaller(opts);
  return {
    getKnobs: async () => expectOk(await caller.send('GET', '/finance/admin/knobs'), KnobsAnswer).knobs,
    setKnobs: async (patch) =>
      expectOk(await caller.send('PUT', '/finance/admin/knobs', patch), KnobsAnswer).knobs,
    stats: async () => expectOk(await caller.send('GET', '/finance/admin/stats'), StatsAnswer).requests,
    resetStats: async () => {
      expectOk(await caller.send('DELETE', '/finance/admin/stats'), z.unknown());
    },
    books: async () => expectOk(await caller.send('GET', '/finance/admin/books'), BooksAnswer).books,
    installAccounts: async (accounts) =>
      expectOk(await caller.send('PUT', '/finance/admin/accounts', { accounts }), InstallAnswer),
    realname: async (uid) =>
      expectOk(await caller.send('GET', `/finance/realname/${encodeURIComponent(uid)}`), RealnameAnswer)
        .realname,
    close: () => caller.close(),
  };
}
