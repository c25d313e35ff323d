import { expect, it } from 'vitest';
import { newOrderNo } from '../../src/domain/ids.js';
import type { NewWithdrawal } from '../../src/domain/ports.js';
import { HOUR, NOW, activePacket, tasksWithRef, unique, type StoreHarness } from './contract-fixtures.js';
import { b2cPacket, codeOf } from './subsidy-fixtures.js';

const T = NOW + 60_000;

function withdrawalOf(uid: string, amount: number, overrides: Partial<NewWithdrawal> = {}): NewWithdrawal {
  return {
    withdrawalNo: newOrderNo('WDR', T),
    uid,
    outOrderNo: unique('w'),
    amount,
    now: T,
    dueAt: T + 10_000,
    ...overrides,
  };
}

export function subsidyBalanceContract(h: () => StoreHarness): void {
  /** A claimer with `amount` fen credited from one claim of a fresh B2C packet. */
  async function credited(amount: number) {
    const { store } = h();
    const { packet } = await b2cPacket(store, amount, 1);
    const uid = unique('claimer');
    const [outcome] = (await store.claimShares(packet.id, [uid], T)).outcomes;
    if (!outcome?.ok) throw new Error('claim failed');
    await store.creditSubsidyBalance(outcome.claim.claimNo, T);
    return { uid, claimNo: outcome.claim.claimNo };
  }

  it('credits a B2C claim to its claimer once, however often or concurrently it is asked', async () => {
    const { store } = h();
    const { packet } = await b2cPacket(store, 900, 3);
    const { outcomes } = await store.claimShares(packet.id, ['c1', 'c2'], T);
    const [c1] = outcomes.flatMap((o) => (o.ok ? [o.claim] : []));

    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.creditSubsidyBalance(c1!.claimNo, T)),
    );

    expect(results.filter((r) => r.status === 'credited' && r.created)).toHaveLength(1);
    expect(await store.getSubsidyBalance('c1')).toStrictEqual({
      uid: 'c1',
      available: c1!.amount,
      held: 0,
      updatedAt: T,
    });
    expect((await store.getClaim(packet.id, 'c1'))?.status).toBe('transferred');
    expect((await store.getClaim(packet.id, 'c2'))?.status).toBe('claimed');
    expect(await store.getSubsidyBalance('c2')).toStrictEqual({
      uid: 'c2',
      available: 0,
      held: 0,
      updatedAt: 0,
    });
  });

  it('leaves a C2C claim alone (not_b2c) and answers ORDER_NOT_FOUND for an unknown claim', async () => {
    const { store } = h();
    const packet = await activePacket(store);
    const [outcome] = (await store.claimShares(packet.id, ['c2c-claimer'], T)).outcomes;
    if (!outcome?.ok) throw new Error('claim failed');
    expect(await store.creditSubsidyBalance(outcome.claim.claimNo, T)).toStrictEqual({ status: 'not_b2c' });
    expect((await store.getClaim(packet.id, 'c2c-claimer'))?.status).toBe('claimed');
    expect(await codeOf(store.creditSubsidyBalance(`${packet.id}-99`, T))).toBe('ORDER_NOT_FOUND');
  });

  it('holds a withdrawal in the same transaction as its order and task; a replay holds nothing more', async () => {
    const { store } = h();
    const { uid } = await credited(500);
    const input = withdrawalOf(uid, 300);

    const created = await store.createWithdrawal(input);
    const replay = await store.createWithdrawal({ ...input, withdrawalNo: newOrderNo('WDR', T) });

    expect(created.withdrawal).toStrictEqual({
      withdrawalNo: input.withdrawalNo,
      uid,
      outOrderNo: input.outOrderNo,
      amount: 300,
      status: 'pending',
      providerTxnId: null,
      createdAt: T,
      updatedAt: T,
    });
    expect(created.balance).toMatchObject({ available: 200, held: 300 });
    expect(replay).toStrictEqual({
      withdrawal: created.withdrawal,
      balance: created.balance,
      created: false,
    });
    const tasks = await tasksWithRef(store, 'withdrawal', input.withdrawalNo);
    expect(tasks.map((t) => [t.status, t.dueAt])).toStrictEqual([['pending', T + 10_000]]);
    expect(await codeOf(store.createWithdrawal({ ...input, amount: 299 }))).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses more than the available balance with INSUFFICIENT_BALANCE, also to racing withdrawals', async () => {
    const { store } = h();
    const { uid } = await credited(500);
    expect(await codeOf(store.createWithdrawal(withdrawalOf(uid, 501)))).toBe('INSUFFICIENT_BALANCE');
    const racing = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.createWithdrawal(withdrawalOf(uid, 200))),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 100, held: 400 });
    expect(await store.listWithdrawals(uid)).toHaveLength(2);
  });

  it('settles a paid withdrawal out of the held amount, and returns a failed one to the balance, once', async () => {
    const { store } = h();
    const { uid } = await credited(1000);
    const paid = await store.createWithdrawal(withdrawalOf(uid, 600));
    const failed = await store.createWithdrawal(withdrawalOf(uid, 300));

    const s1 = await store.settleWithdrawal(paid.withdrawal.withdrawalNo, 'succeeded', 'TXN1', T + 1);
    const s2 = await store.settleWithdrawal(failed.withdrawal.withdrawalNo, 'failed', null, T + 2);
    const again = await store.settleWithdrawal(paid.withdrawal.withdrawalNo, 'failed', null, T + 3);

    expect(s1.withdrawal).toMatchObject({ status: 'succeeded', providerTxnId: 'TXN1', updatedAt: T + 1 });
    expect(s2.withdrawal.status).toBe('failed');
    expect(again).toStrictEqual({ withdrawal: s1.withdrawal, changed: false });
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 400, held: 0 });
    expect(await codeOf(store.settleWithdrawal('WDRNOSUCH', 'succeeded', null, T))).toBe('ORDER_NOT_FOUND');
  });

  it('returns an expired B2C packet remainder to its campaign once, and refuses claims after it', async () => {
    const { store } = h();
    const { grant, packet } = await b2cPacket(store, 1000, 4);
    await store.claimShares(packet.id, ['early'], T);
    const claimed = (await store.getPacket(packet.id))!;

    expect((await store.startB2cReturn(packet.id, packet.expiresAt - 1)).outcome).toBe('not_due');
    const started = await store.startB2cReturn(packet.id, packet.expiresAt);
    const again = await store.startB2cReturn(packet.id, packet.expiresAt + HOUR);

    expect(started.outcome).toBe('returning');
    expect(started.b2cReturn).toStrictEqual({
      returnNo: `${packet.id}-R`,
      packetId: packet.id,
      campaign: grant.campaign,
      amount: claimed.remainingAmount,
      status: 'pending',
      createdAt: packet.expiresAt,
      updatedAt: packet.expiresAt,
    });
    expect(again.b2cReturn).toStrictEqual(started.b2cReturn);
    expect((await store.getPacket(packet.id))?.status).toBe('refunding');
    const late = await store.claimShares(packet.id, ['late'], packet.expiresAt + 1);
    expect(late.outcomes).toStrictEqual([{ uid: 'late', ok: false, code: 'PACKET_EXPIRED' }]);

    const settled = await store.settleB2cReturn(packet.id, packet.expiresAt + 5);
    expect(settled).toMatchObject({ changed: true, b2cReturn: { status: 'succeeded' } });
    expect((await store.settleB2cReturn(packet.id, packet.expiresAt + 6)).changed).toBe(false);
    expect((await store.getPacket(packet.id))?.status).toBe('refunded');
  });

  it('has nothing to return for an exhausted B2C packet or a C2C packet', async () => {
    const { store } = h();
    const { packet } = await b2cPacket(store, 100, 1);
    await store.claimShares(packet.id, ['only'], T);
    expect((await store.startB2cReturn(packet.id, packet.expiresAt + 1)).outcome).toBe('nothing');
    const c2c = await activePacket(store);
    expect((await store.startB2cReturn(c2c.id, c2c.expiresAt + 1)).outcome).toBe('nothing');
    expect(await store.getB2cReturn(packet.id)).toBeNull();
  });
}
