/**
 * bench:claim's money check (bench/money-check.ts) on a real packet database: it passes books that
 * add up, and fails a claim whose amount was changed, a packet whose remainder is off, and answers
 * that do not match what was recorded.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMoney } from '../../bench/money-check.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { createStore } from '../../src/storage/create-store.js';
import { activePacket, NOW, uids } from '../contract/contract-fixtures.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';

describe.skipIf(!(await mysqlAvailable()))('the bench money check', () => {
  let db: TestMysql;
  let store: PacketStore;
  let answered = { claims: 0, fen: 0 };
  beforeAll(async () => {
    db = await createTestMysql('moneycheck');
    store = await createStore({ kind: 'mysql', urls: [db.url] });
    await store.migrate();
    for (const n of [3, 5]) {
      const packet = await activePacket(store, { totalAmount: 100 * n, totalCount: n });
      const result = await store.claimShares(packet.id, uids(n - 1), NOW); // one share left
      for (const o of result.outcomes) {
        if (!o.ok) throw new Error(o.code);
        answered = { claims: answered.claims + 1, fen: answered.fen + o.claim.amount };
      }
    }
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('passes books that add up, and fails each way they can go wrong', async () => {
    const good = await checkMoney(db.url, answered);
    expect(good).toMatchObject({ ok: true, packets: 2, claims: 6, claimedFen: answered.fen, problems: [] });

    const short = await checkMoney(db.url, { claims: answered.claims, fen: answered.fen - 1 });
    expect(short.ok).toBe(false);
    expect(short.problems.join()).toMatch(/answered 6 claims/);

    const conn = await mysql.createConnection({ uri: db.url });
    try {
      await conn.query('UPDATE claims SET amount = amount + 1 ORDER BY claim_no LIMIT 1');
      const bad = await checkMoney(db.url);
      expect(bad.ok).toBe(false);
      expect(bad.problems.join()).toMatch(/^packet \S+: claimed \d+ fen in \d+ claims/);
    } finally {
      await conn.end();
    }
  });
});
