/**
 * Issue 6: the PacketStore over several MySQL databases (`--mysql URL` repeated, DESIGN §2). It
 * holds no data and no transaction of its own: every call goes to the shard that holds its rows
 * (./shard-router.ts), and the few calls that span shards are composed here from idempotent
 * single-shard steps (./sharded-subsidies.ts) or fan out and merge (./sharded-settlement.ts).
 *
 * Each shard is a complete packet store (same schema, same code), so everything the single
 * database guarantees holds per shard: a packet and its payment, claims, refund and tasks are
 * always on one shard, and every write on them is still one transaction.
 */
import type { ClaimSharesResult, PacketStore } from '../../domain/ports.js';
import { assertC2cFieldsFit, assertUidsFit } from '../shared/field-limits.js';
import type { Shard } from './mysql-shard.js';
import { fromEveryShard, logShardFailures, type ShardFailureListener } from './shard-failures.js';
import { createShardRouter } from './shard-router.js';
import { createShardedSettlement } from './sharded-settlement.js';
import { assertOnSendersShard, createShardedSubsidies } from './sharded-subsidies.js';
import { globalId, groupByShard } from './shard-routing.js';

export interface ShardedStoreOptions {
  /** Told of every shard that fails a call the others answer (default: logged, throttled). */
  onShardFailure?: ShardFailureListener;
}

export function createShardedStore(
  shards: readonly Shard[],
  now: () => number = Date.now,
  options: ShardedStoreOptions = {},
): PacketStore {
  const onShardFailure = options.onShardFailure ?? logShardFailures();
  const router = createShardRouter(shards, onShardFailure);
  let closing: Promise<void> | undefined;

  return {
    ...createShardedSettlement(router),
    ...createShardedSubsidies(router),

    packetShard: (senderUid) => router.byUid(senderUid).index,

    async migrate() {
      // one at a time: each takes its own database's migration lock anyway
      for (const shard of shards) await shard.migrate(shards.length, now());
    },
    async ping() {
      await Promise.all(shards.map((s) => s.store.ping()));
    },
    close() {
      closing ??= Promise.all(shards.map((s) => s.close())).then(() => undefined);
      return closing;
    },

    async createC2cPacket(input) {
      assertC2cFieldsFit(input);
      const shard = router.byUid(input.senderUid);
      assertOnSendersShard(input.id, shard, shards.length);
      return shard.store.createC2cPacket(input);
    },
    getPacket: (packetId) => router.byPacketNo(packetId).store.getPacket(packetId),
    async getPayment(payOrderNo) {
      return (await router.payment(payOrderNo))?.value ?? null;
    },
    async markPaid(payOrderNo, paidAmount, providerTxnId, at) {
      // an unknown order: any shard answers ORDER_NOT_FOUND
      const shard = (await router.payment(payOrderNo))?.shard ?? router.byPacketNo(payOrderNo);
      return shard.store.markPaid(payOrderNo, paidAmount, providerTxnId, at);
    },
    claimShares: (packetId, uids, at, random) =>
      router.byPacketNo(packetId).store.claimShares(packetId, uids, at, random),
    async claimSharesMany(requests, at, random, onDecided) {
      // group commit (issue 6): one group transaction per shard, the answers back in request order.
      // Every shard's transaction is waited for, and one that fails answers an `error` for its own
      // requests only (ports.ts): the other shards' claims committed, and their claimers must hear
      // so; nor may the caller go on while a shard's transaction still runs (the coalescer frees
      // the group's packets for their next transaction when this returns).
      // A request the group may not hold refuses the whole group before any shard writes (as on
      // one database): it is the caller's error, not a shard's failure.
      for (const r of requests) assertUidsFit(r.uids);
      const groups = groupByShard(
        [...requests.keys()],
        (i) => router.byPacketNo(requests[i]?.packetId ?? '').index,
      );
      const results: ClaimSharesResult[] = [];
      // decided once every shard's transaction is: a shard that fails never says so, and then
      // the caller frees the group's packets when this returns, as without the hook
      const undecided = new Set(groups.keys());
      const decided = (index: number) => () => {
        if (undecided.delete(index) && undecided.size === 0) onDecided?.();
      };
      await Promise.all(
        [...groups].map(async ([index, positions]) => {
          const group = positions.flatMap((i) => requests[i] ?? []);
          const shard = router.shards[index];
          let answers: readonly ClaimSharesResult[];
          try {
            if (!shard) throw new Error(`no shard ${index} of ${shards.length}`);
            answers = await shard.store.claimSharesMany(group, at, random, decided(index));
          } catch (e) {
            onShardFailure({ shard: index, shards: shards.length, operation: 'claimSharesMany', error: e });
            const error = e ?? new Error(`shard ${index + 1} failed the claim transaction`);
            answers = group.map(() => ({ outcomes: [], packet: null, error }));
          }
          positions.forEach((i, k) => {
            const answer = answers[k];
            if (answer) results[i] = answer;
          });
        }),
      );
      return results;
    },
    getClaim: (packetId, uid) => router.byPacketNo(packetId).store.getClaim(packetId, uid),
    listClaims: (packetId) => router.byPacketNo(packetId).store.listClaims(packetId),
    getRefund: (refundNo) => router.byPacketNo(refundNo).store.getRefund(refundNo),
    async listTasks(filter) {
      // a list without one shard's tasks would hide them: fails when a shard does
      const lists = await fromEveryShard(shards, 'listTasks', onShardFailure, (s) =>
        s.store.listTasks(filter),
      );
      return shards
        .flatMap((s, i) => (lists[i] ?? []).map((t) => ({ ...t, id: globalId(t.id, s.index) })))
        .sort((a, b) => a.id - b.id);
    },
  };
}
