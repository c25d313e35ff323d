/**
 * Issue 6: the SettlementStore half of the sharded packet store. Orders route to their packet's
 * shard; the worker's and the sweeper's calls fan out over every shard. Task and alert ids are
 * per-database integers, handed out as `local * 100 + shard` (./shard-routing.ts) and decoded on
 * the way back, so they never collide and say where their row is. The worker's batch calls
 * (completeTasks, getClaimsByNo, advanceClaims) split their items by shard and ask those shards at
 * once; a shard that fails fails the call (the worker retries the batch: every batch is idempotent).
 */
import type { Claim } from '../../domain/claim.js';
import type {
  Alert,
  LeaseRequest,
  SettlementStore,
  Settled,
  Task,
  UnsettledOrder,
} from '../../domain/ports.js';
import { assertDistinctClaimNos } from '../shared/claim-batches.js';
import type { Shard } from './mysql-shard.js';
import type { ShardRouter } from './shard-router.js';
import { askEveryShard, fromEveryShard } from './shard-failures.js';
import { globalId, groupByShard, localId } from './shard-routing.js';

const withGlobalId = <T extends { id: number }>(row: T, shard: Shard): T => ({
  ...row,
  id: globalId(row.id, shard.index),
});

const byId = (a: { id: number }, b: { id: number }): number => a.id - b.id;

const byCreated = (a: { createdAt: number; ref: string }, b: { createdAt: number; ref: string }): number =>
  a.createdAt - b.createdAt || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);

export function createShardedSettlement(router: ShardRouter): SettlementStore {
  const { shards, onShardFailure } = router;
  /** Which shard gets the odd tasks of a lease first: turns round, so no shard waits behind another. */
  let turn = 0;

  /** The shard a task or alert id names, or null for an id no shard handed out. */
  const shardOfId = (id: number): { shard: Shard; local: number } | null => {
    const { shard, local } = localId(id);
    const found = shards[shard];
    return found && Number.isSafeInteger(id) && id >= 0 ? { shard: found, local } : null;
  };

  /**
   * `work` on every shard that has items, at once, waiting for all of them (fromEveryShard): a shard
   * that fails is reported, and then fails the call. Shards without items are not asked.
   */
  async function onTheirShards<V, R>(
    operation: string,
    groups: Map<number, V[]>,
    work: (shard: Shard, items: V[]) => Promise<R>,
  ): Promise<{ items: V[]; answer: R }[]> {
    const answers = await fromEveryShard(shards, operation, onShardFailure, async (s) => {
      const items = groups.get(s.index);
      return items ? { items, answer: await work(s, items) } : null;
    });
    return answers.filter((a) => a !== null);
  }

  const claimsByShard = (claimNos: readonly string[]): Map<number, string[]> =>
    groupByShard(claimNos, (no) => router.byPacketNo(no).index);

  async function leaseTasks(request: LeaseRequest): Promise<Task[]> {
    const { limit } = request;
    if (limit <= 0 || request.kinds?.length === 0) return [];
    const n = shards.length;
    const first = turn++ % n;
    // a fair share of the limit per shard, in parallel; then shards that filled their share
    // (they may have more due) are asked for what the others left, one after the other.
    // A lease is committed on its shard when it returns: a shard that fails (down) is reported
    // and skipped, and the leases the others took are handed out, never dropped (a dropped lease
    // would sit until leaseMs ran out, an attempt counted for nothing). Its share goes to the
    // healthy shards in the second round.
    const shares = shards.map(() => Math.floor(limit / n));
    for (let i = 0; i < limit % n; i++) shares[(first + i) % n] = (shares[(first + i) % n] ?? 0) + 1;
    const answers = await askEveryShard(shards, 'leaseTasks', onShardFailure, (s, i) => {
      const share = shares[i] ?? 0;
      return share > 0 ? s.store.leaseTasks({ ...request, limit: share }) : Promise.resolve([]);
    });
    const leased = answers.map((a) => (a.ok ? a.value : null));
    let missing = limit - leased.reduce((sum, tasks) => sum + (tasks?.length ?? 0), 0);
    for (let k = 0; k < n && missing > 0; k++) {
      const i = (first + k) % n;
      const got = leased[i];
      const shard = shards[i];
      if (!got || !shard || got.length < (shares[i] ?? 0)) continue;
      try {
        const more = await shard.store.leaseTasks({ ...request, limit: missing });
        got.push(...more);
        missing -= more.length;
      } catch (error) {
        onShardFailure({ shard: shard.index, shards: n, operation: 'leaseTasks', error });
      }
    }
    return shards
      .flatMap((s, i) => (leased[i] ?? []).map((t) => withGlobalId(t, s)))
      .sort((a, b) => a.dueAt - b.dueAt || byId(a, b));
  }

  return {
    leaseTasks,

    completeTask(taskId, owner, now) {
      const at = shardOfId(taskId);
      return at ? at.shard.store.completeTask(at.local, owner, now) : Promise.resolve(false);
    },
    async completeTasks(taskIds, owner, now) {
      // an id no shard handed out is left out (completeTask answers false for it)
      const known = taskIds.flatMap((id) => shardOfId(id) ?? []);
      const byShard = groupByShard(known, (at) => at.shard.index);
      const counts = await onTheirShards('completeTasks', byShard, (s, ats) => {
        const ids = ats.map((at) => at.local);
        return s.store.completeTasks(ids, owner, now);
      });
      return counts.reduce((sum, { answer }) => sum + answer, 0);
    },
    rescheduleTask(taskId, owner, retry) {
      const at = shardOfId(taskId);
      return at ? at.shard.store.rescheduleTask(at.local, owner, retry) : Promise.resolve(false);
    },
    killTask(taskId, owner, error, now) {
      const at = shardOfId(taskId);
      return at ? at.shard.store.killTask(at.local, owner, error, now) : Promise.resolve(false);
    },

    async ensureTask(input) {
      const shard = await router.forTask(input.kind, input.ref);
      const result = await shard.store.ensureTask(input);
      return { ...result, task: withGlobalId(result.task, shard) };
    },
    async getTask(kind, ref) {
      const shard = await router.forTask(kind, ref);
      const task = await shard.store.getTask(kind, ref);
      return task && withGlobalId(task, shard);
    },

    getClaimByNo: (claimNo) => router.byPacketNo(claimNo).store.getClaimByNo(claimNo),
    async getClaimsByNo(claimNos) {
      const found = await onTheirShards('getClaimsByNo', claimsByShard(claimNos), (s, nos) =>
        s.store.getClaimsByNo(nos),
      );
      return found.flatMap(({ answer }) => answer);
    },
    advanceClaim: (claimNo, to, now) => router.byPacketNo(claimNo).store.advanceClaim(claimNo, to, now),
    async advanceClaims(claimNos, to, now) {
      // refused before any shard writes: one shard refusing would leave the others' batches committed
      assertDistinctClaimNos(claimNos);
      const answers = await onTheirShards('advanceClaims', claimsByShard(claimNos), (s, nos) =>
        s.store.advanceClaims(nos, to, now),
      );
      const settled = new Map<string, Settled<Claim> | null>();
      for (const { items, answer } of answers) items.forEach((no, i) => settled.set(no, answer[i] ?? null));
      return claimNos.map((no) => settled.get(no) ?? null);
    },
    expirePacket: (packetId, now) => router.byPacketNo(packetId).store.expirePacket(packetId, now),
    advanceRefund: (refundNo, to, now) => router.byPacketNo(refundNo).store.advanceRefund(refundNo, to, now),
    async closePayment(payOrderNo, now) {
      // an unknown order: any shard answers ORDER_NOT_FOUND
      const shard = (await router.payment(payOrderNo))?.shard ?? router.byPacketNo(payOrderNo);
      return shard.store.closePayment(payOrderNo, now);
    },

    async listUnsettled(query) {
      // every shard's first page after the cursor; the first `limit` of their merge is the
      // global page (keyset pagination merges exactly). A shard that fails to answer is left out
      // of this page: the sweeper still repairs and alerts on the healthy shards' orders, and
      // sees the failed shard's at its next sweep. Only when no shard answered is it an error.
      const pages = await askEveryShard(shards, 'listUnsettled', onShardFailure, (s) =>
        s.store.listUnsettled(query),
      );
      const failed = pages.find((p) => !p.ok);
      if (failed && pages.every((p) => !p.ok)) throw failed.error;
      const merged: UnsettledOrder[] = shards.flatMap((s, i) => {
        const page = pages[i];
        return page?.ok ? page.value.map((o) => ({ ...o, task: o.task && withGlobalId(o.task, s) })) : [];
      });
      return merged.sort(byCreated).slice(0, Math.max(0, query.limit));
    },

    async raiseAlert(alert) {
      // one alert per order: it goes where the order lives, so racing sweepers meet on one key
      const shard =
        alert.kind === 'payment'
          ? ((await router.payment(alert.ref))?.shard ?? router.byPacketNo(alert.ref))
          : router.byPacketNo(alert.ref);
      return shard.store.raiseAlert(alert);
    },
    async listAlerts() {
      // a list without one shard's alerts would hide them: fails when a shard does
      const lists = await fromEveryShard(shards, 'listAlerts', onShardFailure, (s) => s.store.listAlerts());
      return shards.flatMap((s, i) => (lists[i] ?? []).map((a: Alert) => withGlobalId(a, s))).sort(byId);
    },
  };
}
