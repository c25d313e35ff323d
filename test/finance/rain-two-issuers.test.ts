/**
 * Issue 3: the budget is kept by finance's database, not by the in-process batcher: two issuers
 * (two stores, as two processes would have) drawing on one campaign at once never overspend it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { subsidyTokenKey } from '../../src/auth/subsidy-token.js';
import { createRainService } from '../../src/finance/rain/rain-service.js';
import type { RainService } from '../../src/finance/rain/rain-service.js';
import { campaignAccount } from '../../src/finance/rain/types.js';
import { createFinanceStore } from '../../src/finance/store/create-finance-store.js';
import type { FinanceStore, FinanceStoreConfig } from '../../src/finance/store/types.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';

const canMysql = await mysqlAvailable();

async function issuers(
  config: FinanceStoreConfig,
): Promise<{ stores: FinanceStore[]; rains: RainService[] }> {
  const stores = [createFinanceStore(config), createFinanceStore(config)];
  for (const s of stores) await s.migrate();
  const rains = stores.map((store) =>
    createRainService({
      store,
      tokenKey: subsidyTokenKey('two-issuers-secret-0123456789'),
      random: Math.random,
      now: Date.now,
      merchantInitialBalance: 1_000_000_000,
      log: () => {},
      // small batches, so the two issuers' transactions interleave many times
      maxBatch: 5,
    }),
  );
  return { stores, rains };
}

async function neverOverspent(config: FinanceStoreConfig): Promise<void> {
  const { stores, rains } = await issuers(config);
  try {
    const [a, b] = rains as [RainService, RainService];
    await a.setCampaign('two', {
      budget: 20_000,
      probability: 1,
      minAmount: 50,
      maxAmount: 150,
      tokenTtlSec: 60,
    });

    const outcomes = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).draw('two', `u${i}`)),
    );

    const granted = outcomes.reduce((s, o) => s + (o.won ? o.grant.amount : 0), 0);
    expect(granted).toBeLessThanOrEqual(20_000);
    expect(granted).toBeGreaterThan(20_000 - 50);
    const campaign = await stores[0]!.getCampaign('two');
    expect(campaign).toMatchObject({ granted, grants: outcomes.filter((o) => o.won).length });
    expect((await stores[1]!.getAccount(campaignAccount('two')))?.balance).toBe(20_000 - granted);
    const books = await stores[0]!.checkBooks();
    expect([books.ledgerTotal, books.balanceTotal, books.mismatched]).toStrictEqual([0, 0, []]);
  } finally {
    for (const r of rains) await r.close();
    for (const s of stores) await s.close();
  }
}

describe('two reward issuers on one finance database', () => {
  it.runIf(canMysql)('never overspend a campaign on MariaDB (two pools)', async () => {
    const db = await createTestMysql('rain2');
    try {
      await neverOverspent({ kind: 'mysql', url: db.url });
    } finally {
      await db.drop();
    }
  });

  // Two SQLite connections in ONE process cannot share a file (the driver's busy wait blocks the
  // event loop that the lock holder needs); across processes BEGIN IMMEDIATE serializes them. What
  // a second writer, or a buggy one, can never do is recorded here: the table refuses it.
  it('refuse, on SQLite, a campaign granted beyond its budget whoever writes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-rain-'));
    const file = join(dir, 'finance.db');
    const { stores, rains } = await issuers({ kind: 'sqlite', file });
    try {
      await rains[0]!.setCampaign('two', {
        budget: 500,
        probability: 1,
        minAmount: 50,
        maxAmount: 50,
        tokenTtlSec: 60,
      });
      const raw = createClient({ url: `file:${file}` });
      try {
        await expect(raw.execute("UPDATE rain_campaigns SET granted = 501 WHERE id = 'two'")).rejects.toThrow(
          /CHECK/,
        );
        await raw.execute("UPDATE rain_campaigns SET granted = 500 WHERE id = 'two'");
      } finally {
        raw.close();
      }
    } finally {
      for (const r of rains) await r.close();
      for (const s of stores) await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
