/**
 * Issue 6: the subsidy writes that span shards: a B2C claim credited to a claimer on another shard
 * (two idempotent steps), and the grant and token guards kept on their own shards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPacketId } from '../../src/domain/ids.js';
import { shardOfKey } from '../../src/storage/sharded/shard-routing.js';
import { NOW, unique } from '../contract/contract-fixtures.js';
import { b2cInput, codeOf, grantOf } from '../contract/subsidy-fixtures.js';
import { mysqlAvailable } from '../support/services.js';
import { openShardedTestStore, uidOn, type ShardedTestStore } from './shard-support.js';

const T = NOW + 60_000;

describe.skipIf(!(await mysqlAvailable()))('cross-shard subsidies (2 shards)', () => {
  let s: ShardedTestStore;
  beforeAll(async () => {
    s = await openShardedTestStore(2, 'subsidy');
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  /** A B2C packet of a sender on shard 0, claimed by a claimer on shard 1. */
  async function claimAcross(amount: number) {
    const grant = grantOf({ uid: uidOn(0, 2, 'sender'), amount });
    const { packet } = await s.store.createB2cPacket(
      b2cInput(grant, { id: newPacketId(0, NOW), totalCount: 1 }),
    );
    const claimer = uidOn(1, 2, 'claimer');
    const [outcome] = (await s.store.claimShares(packet.id, [claimer], T)).outcomes;
    if (!outcome?.ok) throw new Error('claim failed');
    return { packet, claimer, claim: outcome.claim };
  }

  const balanceRows = (uid: string) =>
    s.rows(1, 'SELECT available, held FROM subsidy_balances WHERE uid = ?', [uid]);

  it('credits a claim on shard 0 to a claimer on shard 1 exactly once, however often the task runs', async () => {
    const { claimer, claim } = await claimAcross(700);

    const first = await s.store.creditSubsidyBalance(claim.claimNo, T);
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => s.store.creditSubsidyBalance(claim.claimNo, T + 1)),
    );

    expect(first).toMatchObject({ status: 'credited', created: true, balance: { available: 700 } });
    expect(concurrent.every((r) => r.status === 'credited' && !r.created)).toBe(true);
    expect(await s.store.getSubsidyBalance(claimer)).toMatchObject({ available: 700, held: 0 });
    expect(await balanceRows(claimer)).toMatchObject([{ available: 700, held: 0 }]);
    expect(await s.rows(0, 'SELECT 1 FROM subsidy_balances WHERE uid = ?', [claimer])).toStrictEqual([]);
    expect(
      await s.shardsWith('SELECT 1 FROM subsidy_credits WHERE claim_no = ?', [claim.claimNo]),
    ).toStrictEqual([1]);
    expect((await s.store.getClaimByNo(claim.claimNo))?.status).toBe('transferred');
  });

  it('heals a crash between the credit and the claim: the retried task marks the claim, credits nothing more', async () => {
    const { claimer, claim } = await claimAcross(300);
    await s.store.creditSubsidyBalance(claim.claimNo, T);
    // the state a crash after step 1 leaves: the credit booked, the claim still claimed
    await s.raws[0]!.query("UPDATE claims SET status = 'claimed' WHERE claim_no = ?", [claim.claimNo]);

    const retried = await s.store.creditSubsidyBalance(claim.claimNo, T + 5);

    expect(retried).toMatchObject({ status: 'credited', created: false, credit: { amount: 300 } });
    expect((await s.store.getClaimByNo(claim.claimNo))?.status).toBe('transferred');
    expect(await s.store.getSubsidyBalance(claimer)).toMatchObject({ available: 300 });
  });

  it('refuses a claim marked transferred without its credit (ILLEGAL_TRANSITION) and credits nothing', async () => {
    const { claimer, claim } = await claimAcross(200);
    await s.store.advanceClaim(claim.claimNo, 'transferred', T);
    expect(await codeOf(s.store.creditSubsidyBalance(claim.claimNo, T))).toBe('ILLEGAL_TRANSITION');
    expect(await balanceRows(claimer)).toStrictEqual([]);
  });

  it('refuses a grant replayed under a uid on another shard, keeping the guard on the grant number shard', async () => {
    const owner = uidOn(0, 2, 'owner');
    const thief = uidOn(1, 2, 'thief');
    const grant = grantOf({ uid: owner });
    const guardShard = shardOfKey(grant.outGrantNo, 2);

    expect((await s.store.bookSubsidies([grant], NOW)).map((r) => r.outcome)).toStrictEqual(['booked']);
    const replayed = { ...grant, uid: thief, tokenId: unique('tok') };
    expect((await s.store.bookSubsidies([replayed], NOW)).map((r) => r.outcome)).toStrictEqual(['conflict']);
    const send = b2cInput(replayed, { id: newPacketId(1, NOW) });
    expect(await codeOf(s.store.createB2cPacket(send))).toBe('SUBSIDY_CONFLICT');

    const guards = await s.rows(guardShard, 'SELECT uid FROM subsidy_grant_guard WHERE out_grant_no = ?', [
      grant.outGrantNo,
    ]);
    expect(guards).toMatchObject([{ uid: owner }]);
    expect(
      await s.shardsWith('SELECT 1 FROM subsidies WHERE out_grant_no = ?', [grant.outGrantNo]),
    ).toStrictEqual([0]);
    expect(await s.store.listSubsidies(thief)).toStrictEqual([]);
    expect(await s.store.getPacket(send.id)).toBeNull();
  });

  it('refuses a token booked again under another grant number by a uid on another shard', async () => {
    const grant = grantOf({ uid: uidOn(0, 2, 'first') });
    const again = grantOf({ uid: uidOn(1, 2, 'second'), tokenId: grant.tokenId });
    const results = await s.store.bookSubsidies([grant], NOW);
    const replay = await s.store.bookSubsidies([again], NOW);
    expect([...results, ...replay].map((r) => r.outcome)).toStrictEqual(['booked', 'conflict']);
    expect(await s.shardsWith('SELECT 1 FROM subsidies WHERE token_id = ?', [grant.tokenId])).toStrictEqual([
      0,
    ]);
  });

  it('books one grant once when the same batch races on two workers', async () => {
    const grants = Array.from({ length: 20 }, (_, i) => grantOf({ uid: uidOn(i % 2, 2, 'rain') }));
    const [a, b] = await Promise.all([
      s.store.bookSubsidies(grants, NOW),
      s.store.bookSubsidies([...grants].reverse(), NOW),
    ]);
    const booked = [...a!, ...b!].filter((r) => r.outcome === 'booked');
    expect(booked).toHaveLength(20);
    expect(new Set(booked.map((r) => r.outGrantNo)).size).toBe(20);
    const counts = await Promise.all(
      [0, 1].map((i) =>
        s.rows(i, 'SELECT COUNT(*) AS n FROM subsidies WHERE campaign = ? AND out_grant_no IN (?)', [
          'spring',
          grants.map((g) => g.outGrantNo),
        ]),
      ),
    );
    expect(counts.map((c) => Number(c[0]!['n']))).toStrictEqual([10, 10]);
  });
});
