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
import { assertC2cFieldsFit } from '../shared/field-limits.js';
import type { Shard } from './mysql-shard.js';
import { createShardRouter } from './shard-router.js';
import { createShardedSettlement } from './sharded-settlement.js';
import { assertOnSendersShard, createShardedSubsidies } from './sharded-subsidies.js';
import { globalId, groupByShard } from './shard-routing.js';

export function createShardedStore(shards: readonly Shard[], now: () => number = Date.now): PacketStore {
  const router = createShardRouter(shards);
  let closing: Promise<void> | undefined;

  return {
    ...createShardedSettlement(router),
    ...createShardedSubsidies(router),

    packetShard: (senderUid) => router.byUid(senderUid).index,

    async migrate() {
      // one at a time: each takes its own database's migration lock anyway
      for (const shard of shards) await shard.migrate(shards.length, now());
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
    async claimSharesMany(requests, at, random) {
      // group commit (issue 6): one group transaction per shard, the answers back in request order
      const groups = groupByShard(
        [...requests.keys()],
        (i) => router.byPacketNo(requests[i]?.packetId ?? '').index,
      );
      const results: ClaimSharesResult[] = [];
      await Promise.all(
        [...groups].map(async ([index, positions]) => {
          const group = positions.flatMap((i) => requests[i] ?? []);
          const answers = await router.shards[index]?.store.claimSharesMany(group, at, random);
          positions.forEach((i, k) => {
            const answer = answers?.[k];
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
      const lists = await Promise.all(shards.map((s) => s.store.listTasks(filter)));
      return shards
        .flatMap((s, i) => (lists[i] ?? []).map((t) => ({ ...t, id: globalId(t.id, s.index) })))
        .sort((a, b) => a.id - b.id);
    },
  };
}
