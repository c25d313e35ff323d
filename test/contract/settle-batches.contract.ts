/**
 * The worker's transfer batches: completeTasks, getClaimsByNo and advanceClaims must answer, item
 * by item, exactly what completeTask, getClaimByNo and advanceClaim answer alone. Claims come from
 * packets on both shards of the sharded target, so a batch spans shards there.
 */
import { expect, it } from 'vitest';
import type { Claim, ClaimStatus } from '../../src/domain/claim.js';
import type { PacketStore, Settled } from '../../src/domain/ports.js';
import { shardOfKey } from '../../src/storage/sharded/shard-routing.js';
import {
  CONTRACT_SHARDS,
  HOUR,
  activePacket,
  transferTasksOf,
  uids,
  unique,
  type StoreHarness,
} from './contract-fixtures.js';
import { timeWindow } from './settlement-fixtures.js';

/** A fresh sender whose packets go on this shard (of the sharded target). */
function senderOn(shard: number): string {
  for (;;) {
    const uid = unique('sender');
    if (shardOfKey(uid, CONTRACT_SHARDS) === shard) return uid;
  }
}

/** A fixed shuffle (seeded), so that a batch is never in claimNo order by accident. */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const nosOf = (claims: readonly Claim[]): string[] => claims.map((c) => c.claimNo);

const STATES: readonly ClaimStatus[] = ['claimed', 'transferring', 'failed', 'transferred'];

export function settleBatchesContract(h: () => StoreHarness): void {
  /** `n` claims on a fresh packet of `sender`'s, claimed at base + 1. */
  async function claimsOf(store: PacketStore, n: number, base: number, sender = senderOn(0)) {
    const packet = await activePacket(store, {
      senderUid: sender,
      totalAmount: n * 10,
      totalCount: n,
      splitMode: 'fixed',
      now: base,
      expiresAt: base + HOUR,
    });
    const { outcomes } = await store.claimShares(packet.id, uids(n), base + 1);
    return outcomes.map((o) => {
      if (!o.ok) throw new Error(`claim failed: ${o.code}`);
      return o.claim;
    });
  }

  /** Brings a claimed claim to `status` with advanceClaim (at base + 2 and base + 3). */
  async function putIn(store: PacketStore, claim: Claim, status: ClaimStatus, base: number): Promise<Claim> {
    if (status === 'claimed') return claim;
    await store.advanceClaim(claim.claimNo, status === 'failed' ? 'transferring' : status, base + 2);
    if (status === 'failed') await store.advanceClaim(claim.claimNo, 'failed', base + 3);
    const now = await store.getClaimByNo(claim.claimNo);
    expect(now?.status).toBe(status);
    return now!;
  }

  /**
   * Two twin sets of claims, on packets on both shards: twins[i] is in the state batch[i] is in,
   * two claims per state per packet.
   */
  async function twinSets(store: PacketStore, base: number) {
    const batch: Claim[] = [];
    const twins: Claim[] = [];
    for (const shard of [0, 1]) {
      const claims = await claimsOf(store, 16, base, senderOn(shard));
      for (const [i, claim] of claims.entries()) {
        const put = await putIn(store, claim, STATES[Math.floor(i / 2) % STATES.length]!, base);
        (i < 8 ? batch : twins).push(put);
      }
    }
    return { batch, twins };
  }

  /** Asserts that the batch answered for each claim what advanceClaim answered for its twin. */
  async function advanceLikeSingles(
    store: PacketStore,
    sets: { batch: Claim[]; twins: Claim[] },
    to: ClaimStatus,
    at: number,
    unknown: readonly string[],
  ): Promise<{ input: string[]; results: (Settled<Claim> | null)[] }> {
    const order = shuffled([...sets.batch.keys(), ...unknown.map((_, k) => -1 - k)]);
    const input = order.map((i) => (i >= 0 ? sets.batch[i]!.claimNo : unknown[-1 - i]!));
    const before = new Map((await store.getClaimsByNo(input)).map((c) => [c.claimNo, c]));
    const results = await store.advanceClaims(input, to, at);

    expect(results).toHaveLength(input.length);
    for (const [k, i] of order.entries()) {
      if (i < 0) {
        expect(results[k]).toBeNull();
        continue;
      }
      const single = await store.advanceClaim(sets.twins[i]!.claimNo, to, at);
      const mine = before.get(input[k]!)!;
      expect(results[k]).toStrictEqual({
        value: { ...mine, status: single.value.status, updatedAt: single.value.updatedAt },
        changed: single.changed,
      });
    }
    const after = await store.getClaimsByNo(input);
    expect(after).toHaveLength(sets.batch.length);
    for (const claim of after) expect(results[input.indexOf(claim.claimNo)]?.value).toStrictEqual(claim);
    return { input, results };
  }

  const statusesInOrder = (
    batch: readonly Claim[],
    results: readonly (Settled<Claim> | null)[],
    input: string[],
  ) =>
    batch.map((c) => {
      const r = results[input.indexOf(c.claimNo)];
      return r && [r.value.status, r.changed];
    });

  it('advances a mixed batch to transferring then transferred as advanceClaim would, null for unknown numbers', async () => {
    const { store } = h();
    const base = timeWindow();
    const sets = await twinSets(store, base);
    const missing = [`${sets.batch[0]!.packetId}-999`, 'P00NOSUCH-1'];

    await advanceLikeSingles(store, sets, 'transferring', base + 10, missing);
    expect((await store.getClaimsByNo(nosOf(sets.batch))).map((c) => c.status).sort()).toStrictEqual(
      [...Array(12).fill('transferring'), ...Array(4).fill('transferred')].sort(),
    );
    await advanceLikeSingles(store, sets, 'transferred', base + 20, missing);
    const done = await store.getClaimsByNo(nosOf(sets.batch));
    expect(done.map((c) => c.status)).toStrictEqual(Array(16).fill('transferred'));
    // the four that were transferred from the start kept their time; the others moved at base + 20
    expect(done.filter((c) => c.updatedAt === base + 20)).toHaveLength(12);
  });

  it('takes claimed and failed claims straight to transferred through transferring in one call', async () => {
    const { store } = h();
    const base = timeWindow();
    const sets = await twinSets(store, base);

    const { input, results } = await advanceLikeSingles(store, sets, 'transferred', base + 10, []);

    expect(statusesInOrder(sets.batch, results, input)).toStrictEqual(
      [0, 1].flatMap(() => STATES.flatMap((s) => Array(2).fill(['transferred', s !== 'transferred']))),
    );
  });

  it('fails a transferring claim, and an out-of-order step changes nothing', async () => {
    const { store } = h();
    const base = timeWindow();
    const claims = await claimsOf(store, 4, base);
    const [claimed, transferring, failed, transferred] = await Promise.all(
      claims.map((c, i) => putIn(store, c, STATES[i]!, base)),
    );
    const input = nosOf([transferred!, transferring!, failed!]);

    expect(await store.advanceClaims(input, 'failed', base + 10)).toStrictEqual([
      { value: transferred, changed: false },
      { value: { ...transferring, status: 'failed', updatedAt: base + 10 }, changed: true },
      { value: failed, changed: false },
    ]);
    // backwards: a failed or transferred claim never goes back to claimed
    const late = nosOf([transferred!, failed!]);
    expect(await store.advanceClaims(late, 'claimed', base + 20)).toStrictEqual([
      { value: transferred, changed: false },
      { value: failed, changed: false },
    ]);
    expect(await store.getClaimByNo(transferred!.claimNo)).toStrictEqual(transferred);
    expect(await store.getClaimByNo(failed!.claimNo)).toStrictEqual(failed);
    expect(await store.getClaimByNo(claimed!.claimNo)).toStrictEqual(claimed);
  });

  it('advances a batch of 900 claims (IN lists of 800 values at most) and reads them all back', async () => {
    const { store } = h();
    const base = timeWindow();
    // one sender: on the sharded target every claim is on one shard, so its lists are chunked too
    const sender = senderOn(1);
    const claims = [
      ...(await claimsOf(store, 300, base, sender)),
      ...(await claimsOf(store, 300, base, sender)),
      ...(await claimsOf(store, 300, base, sender)),
    ];
    const input = shuffled(nosOf(claims));
    await store.advanceClaims(input.slice(0, 450), 'transferring', base + 5);

    const results = await store.advanceClaims(input, 'transferred', base + 10);

    expect(results.map((r) => r?.value.claimNo)).toStrictEqual(input);
    expect(results.every((r) => r?.changed === true && r.value.status === 'transferred')).toBe(true);
    const read = await store.getClaimsByNo(input);
    expect(read).toHaveLength(900);
    expect(read.every((c) => c.status === 'transferred' && c.updatedAt === base + 10)).toBe(true);
    const again = await store.advanceClaims(input, 'transferred', base + 20);
    expect(again.filter((r) => r?.changed)).toStrictEqual([]);
  });

  it('refuses a batch naming a claim twice, on any shard, and writes nothing', async () => {
    const { store } = h();
    const base = timeWindow();
    const a = await claimsOf(store, 2, base, senderOn(0));
    const b = await claimsOf(store, 2, base, senderOn(1));
    const input = nosOf([...b, a[0]!, a[1]!, a[0]!]);

    await expect(store.advanceClaims(input, 'transferring', base + 10)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const read = await store.getClaimsByNo(nosOf([...a, ...b]));
    expect(read.sort((x, y) => (x.claimNo < y.claimNo ? -1 : 1))).toStrictEqual(
      [...a, ...b].sort((x, y) => (x.claimNo < y.claimNo ? -1 : 1)),
    );
  });

  it('answers empty batches without touching anything', async () => {
    const { store } = h();
    expect(await store.advanceClaims([], 'transferred', timeWindow())).toStrictEqual([]);
    expect(await store.getClaimsByNo([])).toStrictEqual([]);
    expect(await store.completeTasks([], 'A', timeWindow())).toBe(0);
  });

  it('runs two overlapping batches at once without deadlock, each claim transferred once', async () => {
    const { store } = h();
    const base = timeWindow();
    const claims = [
      ...(await claimsOf(store, 150, base, senderOn(0))),
      ...(await claimsOf(store, 150, base, senderOn(1))),
    ];
    const nos = shuffled(nosOf(claims));
    const first = nos.slice(0, 200);
    const second = shuffled(nos.slice(100), 11);

    const [one, two] = await Promise.all([
      store.advanceClaims(first, 'transferred', base + 10),
      store.advanceClaims(second, 'transferred', base + 10),
    ]);

    const changedBy = new Map<string, number>();
    for (const [input, results] of [
      [first, one],
      [second, two],
    ] as const) {
      for (const [i, r] of results.entries()) {
        expect(r?.value).toMatchObject({ claimNo: input[i], status: 'transferred' });
        if (r?.changed) changedBy.set(input[i]!, (changedBy.get(input[i]!) ?? 0) + 1);
      }
    }
    expect(changedBy.size).toBe(300);
    expect([...changedBy.values()].every((n) => n === 1)).toBe(true);
    const read = await store.getClaimsByNo(nos);
    expect(read.filter((c) => c.status === 'transferred')).toHaveLength(300);
  });

  it("completes only the tasks the owner holds, in one call over both shards' tasks", async () => {
    const { store } = h();
    const base = timeWindow();
    await claimsOf(store, 3, base, senderOn(0));
    await claimsOf(store, 3, base, senderOn(1));
    const lease = (owner: string) =>
      store.leaseTasks({ owner, now: base + 5, leaseMs: 60_000, limit: 3, kinds: ['transfer'] });
    const mine = await lease('A');
    const theirs = await lease('B');
    expect(mine).toHaveLength(3);
    expect(theirs).toHaveLength(3);
    const all = shuffled([...mine, ...theirs].map((t) => t.id));

    expect(await store.completeTasks([...all, Math.max(...all) + 1000], 'A', base + 10)).toBe(3);
    for (const t of mine) {
      expect(await store.getTask(t.kind, t.ref)).toStrictEqual({
        ...t,
        status: 'done',
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: base + 10,
      });
    }
    for (const t of theirs) expect(await store.getTask(t.kind, t.ref)).toStrictEqual(t);
    expect(await store.completeTasks(all, 'A', base + 20)).toBe(0);
    expect(await store.completeTasks(all, 'B', base + 20)).toBe(3);
    for (const t of theirs) expect((await store.getTask(t.kind, t.ref))?.status).toBe('done');
  });

  it('reads back exactly the claims asked for, leaving unknown numbers out', async () => {
    const { store } = h();
    const base = timeWindow();
    const a = await claimsOf(store, 3, base, senderOn(0));
    const b = await claimsOf(store, 3, base, senderOn(1));
    const asked = [a[0]!, a[2]!, b[1]!];

    const read = await store.getClaimsByNo([...nosOf(asked), `${a[0]!.packetId}-99`, 'P00NOSUCH-2']);

    const byNo = (x: Claim, y: Claim) => (x.claimNo < y.claimNo ? -1 : 1);
    expect(read.sort(byNo)).toStrictEqual([...asked].sort(byNo));
    expect(await transferTasksOf(store, a[0]!.packetId)).toHaveLength(3);
  });
}
