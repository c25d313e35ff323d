/**
 * bench:claim's money check (bench/money-check.ts) on a real packet database and a real finance
 * store beside it (`<db>_finance`): it passes books that add up, and fails each way they can go
 * wrong: a claim's amount changed, a packet's remainder off, answers that do not match what was
 * recorded (in total, or two claimers told each other's amounts), a claim not transferred, a
 * transfer of the wrong fen or to someone else, a transfer no claim asked for, a transfer booked
 * twice or to another payee in finance's ledger, a balance that is not its ledger's sum.
 */
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMoney, newAnswered, recordAnswer, type Answered } from '../../bench/money-check.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { createFinanceStore } from '../../src/finance/store/create-finance-store.js';
import type { FinanceStore } from '../../src/finance/store/types.js';
import { createStore } from '../../src/storage/create-store.js';
import { activePacket, NOW, uids } from '../contract/contract-fixtures.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';

interface Claimed {
  claimNo: string;
  packetId: string;
  uid: string;
  amount: number;
}

describe.skipIf(!(await mysqlAvailable()))('the bench money check', () => {
  let db: TestMysql;
  let financeUrl: string;
  let store: PacketStore;
  let finance: FinanceStore;
  let conn: mysql.Connection;
  const claimed: Claimed[] = [];
  const answered = () => {
    const a = newAnswered();
    for (const c of claimed) recordAnswer(a, c.packetId, c.uid, c.amount);
    return a;
  };
  const opts = { now: NOW, newTxnId: () => randomUUID() };

  beforeAll(async () => {
    db = await createTestMysql('moneycheck');
    store = await createStore({ kind: 'mysql', urls: [db.url] });
    await store.migrate();
    for (const n of [3, 5]) {
      const packet = await activePacket(store, { totalAmount: 100 * n, totalCount: n });
      const result = await store.claimShares(packet.id, uids(n - 1), NOW); // one share left
      for (const o of result.outcomes) {
        if (!o.ok) throw new Error(o.code);
        claimed.push({
          claimNo: o.claim.claimNo,
          packetId: packet.id,
          uid: o.claim.uid,
          amount: o.claim.amount,
        });
      }
    }
    conn = await mysql.createConnection({ uri: db.url });
    await conn.query(`CREATE DATABASE \`${db.database}_finance\``);
    const u = new URL(db.url);
    u.pathname = `/${db.database}_finance`;
    financeUrl = u.toString();
    finance = createFinanceStore({ kind: 'mysql', url: financeUrl });
    await finance.migrate();
    await finance.openAccounts(
      [
        { id: 'merchant', initialBalance: 1_000_000 },
        ...claimed.map((c) => ({ id: `user:${c.uid}`, initialBalance: 0 })),
      ],
      opts,
    );
  });
  afterAll(async () => {
    await finance?.close();
    await conn?.query(`DROP DATABASE IF EXISTS \`${db.database}_finance\``);
    await conn?.end();
    await store?.close();
    await db?.drop();
  });

  it('passes books that add up, and fails each way the claims can go wrong', async () => {
    const good = await checkMoney(db.url, { answered: answered() });
    const fen = claimed.reduce((n, c) => n + c.amount, 0);
    expect(good).toMatchObject({ ok: true, packets: 2, claims: 6, claimedFen: fen, problems: [] });

    const short = answered();
    short.fen -= 1;
    expect((await checkMoney(db.url, { answered: short })).problems.join()).toMatch(/answered 6 claims/);

    // two claimers told each other's amounts: every total still matches
    const [a, b] = claimed.filter((c) => c.amount !== claimed[0]!.amount).length
      ? [claimed[0]!, claimed.find((c) => c.amount !== claimed[0]!.amount)!]
      : [claimed[0]!, claimed[1]!];
    expect(a.amount).not.toBe(b.amount);
    const swapped: Answered = answered();
    recordAnswerOver(swapped, a, b.amount);
    recordAnswerOver(swapped, b, a.amount);
    expect(swapped.fen).toBe(fen);
    const swap = await checkMoney(db.url, { answered: swapped });
    expect(swap.ok).toBe(false);
    expect(swap.problems.join()).toMatch(/2 claims answered with another amount/);

    const twice = answered();
    recordAnswer(twice, a.packetId, a.uid, a.amount);
    expect((await checkMoney(db.url, { answered: twice })).problems.join()).toMatch(/answered twice/);

    await conn.query('UPDATE claims SET amount = amount + 1 WHERE claim_no = ?', [a.claimNo]);
    try {
      const bad = await checkMoney(db.url);
      expect(bad.ok).toBe(false);
      expect(bad.problems.join()).toMatch(/^packet \S+: claimed \d+ fen in \d+ claims/);
    } finally {
      await conn.query('UPDATE claims SET amount = amount - 1 WHERE claim_no = ?', [a.claimNo]);
    }
  });

  it('checks finance: every claim transferred once, for its fen, to its claimer, and booked', async () => {
    const pending = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(pending.ok).toBe(false);
    expect(pending.problems.join()).toMatch(/6 claims not transferred/);
    expect(pending.problems.join()).toMatch(/6 claims without a succeeded transfer/);

    for (const c of claimed) {
      const r = await finance.transfer(
        { transferNo: c.claimNo, uid: c.uid, amount: c.amount, notifyUrl: 'http://127.0.0.1:1/cb' },
        { ...opts, hold: false },
      );
      expect(r.order.status).toBe('succeeded');
    }
    await conn.query(`UPDATE claims SET status = 'transferred'`);
    const good = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(good).toMatchObject({ ok: true, transferred: 6, problems: [] });

    const fin = `\`${db.database}_finance\``;
    const [first] = claimed;
    const broken: Array<[string, RegExp, string]> = [
      [
        `UPDATE ${fin}.orders SET amount = amount + 1 WHERE order_no = '${first!.claimNo}'`,
        /1 claims without a succeeded transfer/,
        `UPDATE ${fin}.orders SET amount = amount - 1 WHERE order_no = '${first!.claimNo}'`,
      ],
      [
        `UPDATE ${fin}.orders SET uid = 'someone-else' WHERE order_no = '${first!.claimNo}'`,
        /1 claims without a succeeded transfer/,
        `UPDATE ${fin}.orders SET uid = '${first!.uid}' WHERE order_no = '${first!.claimNo}'`,
      ],
      [
        `UPDATE claims SET status = 'claimed' WHERE claim_no = '${first!.claimNo}'`,
        /1 claims not transferred/,
        `UPDATE claims SET status = 'transferred' WHERE claim_no = '${first!.claimNo}'`,
      ],
    ];
    for (const [breakIt, problem, mendIt] of broken) {
      await conn.query(breakIt);
      try {
        const bad = await checkMoney(db.url, { answered: answered(), transfers: true });
        expect(bad.ok, breakIt).toBe(false);
        expect(bad.problems.join(), breakIt).toMatch(problem);
      } finally {
        await conn.query(mendIt);
      }
    }
    const stray = await finance.transfer(
      { transferNo: 'not-a-claim-1', uid: first!.uid, amount: 5, notifyUrl: 'http://127.0.0.1:1/cb' },
      { ...opts, hold: false },
    );
    expect(stray.order.status).toBe('succeeded');
    const extra = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(extra.problems).toEqual(["1 transfers at finance that are no claim's"]);

    // an order that names another payee than its ledger credited
    const other = claimed.find((c) => c.uid !== first!.uid)!;
    await conn.query(`UPDATE ${fin}.orders SET uid = ? WHERE order_no = 'not-a-claim-1'`, [other.uid]);
    const elsewhere = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(elsewhere.problems.join()).toMatch(
      /1 succeeded transfers not booked as their fen from the merchant/,
    );
    await conn.query(`UPDATE ${fin}.orders SET uid = ? WHERE order_no = 'not-a-claim-1'`, [first!.uid]);

    // a balance that is not what its ledger says
    await conn.query(`UPDATE ${fin}.accounts SET balance = balance + 1 WHERE id = ?`, [`user:${other.uid}`]);
    const offBooks = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(offBooks.problems.join()).toMatch(
      /1 finance accounts whose balance is not the sum of their ledger/,
    );
    await conn.query(`UPDATE ${fin}.accounts SET balance = balance - 1 WHERE id = ?`, [`user:${other.uid}`]);
    expect((await checkMoney(db.url, { answered: answered(), transfers: true })).problems).toHaveLength(1);

    // the ledger is append-only: a second credit for the first claim's transfer books it twice
    await conn.query(
      `INSERT INTO ${fin}.ledger_entries (txn_id, order_no, kind, account, direction, amount, created_at)
       SELECT txn_id, order_no, kind, account, direction, amount, created_at FROM ${fin}.ledger_entries
        WHERE order_no = ? AND direction = 'credit'`,
      [first!.claimNo],
    );
    const twice = await checkMoney(db.url, { answered: answered(), transfers: true });
    expect(twice.problems.join()).toMatch(/1 succeeded transfers not booked as their fen/);
  });
});

/** An answer for an already answered claim, replacing its amount (totals kept by the caller). */
function recordAnswerOver(a: Answered, c: Claimed, amount: number): void {
  a.fen += amount - (a.byClaim.get(`${c.packetId} ${c.uid}`) ?? 0);
  a.byClaim.set(`${c.packetId} ${c.uid}`, amount);
}
