/**
 * Issue 6: the SubsidyStore half of the sharded packet store (DESIGN §2, §4).
 *
 * - Booked subsidies, balances, credits and withdrawals live on their uid's shard.
 * - Guards: a grant's guard (out_grant_no -> uid, token) lives on the out_grant_no's shard and a
 *   token's guard (token id -> uid, grant) on the token id's shard. Booking takes both guards
 *   first, each an idempotent insert that keeps the first owner, and only a grant owning both is
 *   booked, on its uid's shard. So a grant replayed under another uid is refused even when the
 *   two uids live on different shards, and a token cannot be booked on two uids' shards. The uid
 *   shard's own guard table (taken again by the single-database booking there) can only ever hold
 *   the owner the global guards chose, so it agrees with them. A crash between the guards and the
 *   booking leaves guards and no subsidy: the queue's redelivery (or the send) books it then.
 * - A B2C packet goes on its sender's shard, where the sender's subsidy is: booking it if need be,
 *   spending it and creating the packet stay one transaction in one database.
 * - A claim on a B2C packet credits the claimer's balance: the claim is on the packet's shard, the
 *   balance on the claimer's. On one shard that is the single-database transaction; across shards
 *   it is two idempotent steps: (1) on the balance shard, the credit row (unique by claimNo) and
 *   the balance, in one transaction; (2) on the packet's shard, the claim -> transferred. The claim
 *   only becomes transferred after its credit exists; a crash between the steps leaves the claim
 *   `claimed` and its transfer task pending, and the retried task finds the credit (created=false)
 *   and finishes step 2. A repeated or concurrent credit never adds twice: the credit row's key.
 */
import type { Claim } from '../../domain/claim.js';
import { RedpktError } from '../../domain/errors.js';
import type { BookingResult, CreditResult, NewB2cPacket, SubsidyStore } from '../../domain/ports.js';
import type { GrantGuard, SealedGrant } from '../../domain/subsidy.js';
import { guardOf, ownsGuard } from '../shared/subsidy-booking.js';
import { assertB2cFieldsFit, assertKeysFit, checkedDistinctGrants } from '../shared/subsidy-store.js';
import type { Shard } from './mysql-shard.js';
import type { ShardRouter } from './shard-router.js';
import { groupByShard, shardOfPacketNo } from './shard-routing.js';

/** Runs `take` per shard on its group of guards; the guards found, by `keyOf`. */
async function takeGuards(
  router: ShardRouter,
  guards: readonly GrantGuard[],
  keyOf: (g: GrantGuard) => string,
  take: (shard: Shard, guards: readonly GrantGuard[]) => Promise<GrantGuard[]>,
): Promise<Map<string, GrantGuard>> {
  const groups = groupByShard(guards, (g) => router.byKey(keyOf(g)).index);
  const found = await Promise.all(
    [...groups].map(([index, group]) => {
      const shard = router.shards[index];
      return shard ? take(shard, group) : Promise.resolve([]);
    }),
  );
  return new Map(found.flat().map((g) => [keyOf(g), g]));
}

/** The grants (distinct by outGrantNo and token) that own both their grant and their token guard. */
async function ownedGrants(
  router: ShardRouter,
  grants: readonly SealedGrant[],
  now: number,
): Promise<SealedGrant[]> {
  const byGrant = await takeGuards(
    router,
    grants.map((g) => guardOf(g, now)),
    (g) => g.outGrantNo,
    (s, gs) => s.takeGrantGuards(gs),
  );
  const grantOwners = grants.filter((g) => ownsGuard(byGrant.get(g.outGrantNo), g));
  // token guards only for grants that own their grant guard: a refused grant writes nothing more
  const byToken = await takeGuards(
    router,
    grantOwners.map((g) => guardOf(g, now)),
    (g) => g.tokenId,
    (s, gs) => s.takeTokenGuards(gs),
  );
  return grantOwners.filter((g) => {
    const token = byToken.get(g.tokenId);
    return token?.uid === g.uid && token.outGrantNo === g.outGrantNo;
  });
}

/** The single-database checks, and the grant's uid too: it picks the shard the booking goes to. */
function assertShardedB2cFieldsFit(input: NewB2cPacket): void {
  assertB2cFieldsFit(input);
  assertKeysFit({ uid: input.grant.uid });
}

/**
 * A new packet must carry its sender's shard: the order's idempotency key (senderUid, outOrderNo)
 * is unique per database, so every retry of an order must meet the first attempt on one shard.
 * Another shard in the id is a caller bug (the services build ids with store.packetShard).
 */
export function assertOnSendersShard(packetId: string, sendersShard: Shard, shards: number): void {
  if (shardOfPacketNo(packetId, shards) === sendersShard.index) return;
  throw new RedpktError(
    'INTERNAL',
    `packet id ${packetId} does not name its sender's shard ${sendersShard.index}: build it with store.packetShard(senderUid)`,
    { details: { packetId, shard: sendersShard.index } },
  );
}

export function createShardedSubsidies(router: ShardRouter): SubsidyStore {
  const { shards } = router;

  async function creditAcrossShards(claim: Claim, claimShard: Shard, now: number): Promise<CreditResult> {
    const packet = await claimShard.store.getPacket(claim.packetId);
    if (packet?.type !== 'b2c') return { status: 'not_b2c' };
    const balanceShard = router.byUid(claim.uid);
    if (claim.status === 'transferred') {
      const credit = await balanceShard.subsidyCredit(claim.claimNo);
      if (!credit) {
        throw new RedpktError(
          'ILLEGAL_TRANSITION',
          `claim ${claim.claimNo} was transferred without a credit`,
          {
            details: { claimNo: claim.claimNo },
          },
        );
      }
      const balance = await balanceShard.store.getSubsidyBalance(claim.uid);
      return { status: 'credited', credit, balance, created: false };
    }
    const credit = { claimNo: claim.claimNo, packetId: claim.packetId, uid: claim.uid, amount: claim.amount };
    const booked = await balanceShard.bookCredit({ ...credit, createdAt: now }, now); // step 1
    await claimShard.markCredited(claim.claimNo, now); // step 2
    return { status: 'credited', ...booked };
  }

  return {
    async bookSubsidies(grants, now) {
      if (grants.length === 0) return [];
      const { unique, answer } = checkedDistinctGrants(grants);
      const owned = await ownedGrants(router, unique, now);
      const results = new Map<string, BookingResult>();
      const groups = groupByShard(owned, (g) => router.byUid(g.uid).index);
      await Promise.all(
        [...groups].map(async ([index, group]) => {
          const booked = (await shards[index]?.store.bookSubsidies(group, now)) ?? [];
          for (const r of booked) results.set(r.outGrantNo, r);
        }),
      );
      return answer(
        unique.map(
          (g) =>
            results.get(g.outGrantNo) ?? {
              tokenId: g.tokenId,
              outGrantNo: g.outGrantNo,
              outcome: 'conflict',
            },
        ),
      );
    },

    async createB2cPacket(input) {
      assertShardedB2cFieldsFit(input);
      const shard = router.byUid(input.senderUid);
      assertOnSendersShard(input.id, shard, shards.length);
      if (router.byUid(input.grant.uid) !== shard) {
        throw new RedpktError('SUBSIDY_NOT_OWNER', 'this subsidy was granted to another user', {
          details: { tokenId: input.grant.tokenId },
        });
      }
      const [owned] = await ownedGrants(router, [input.grant], input.now);
      if (!owned) {
        throw new RedpktError(
          'SUBSIDY_CONFLICT',
          `grant ${input.grant.outGrantNo} is booked for another user or token`,
          {
            details: { outGrantNo: input.grant.outGrantNo, tokenId: input.grant.tokenId },
          },
        );
      }
      return shard.store.createB2cPacket(input);
    },

    async getSubsidy(tokenId) {
      return (await router.find('subsidy', tokenId, (s) => s.store.getSubsidy(tokenId)))?.value ?? null;
    },
    listSubsidies: (uid) => router.byUid(uid).store.listSubsidies(uid),
    async countSubsidies(campaign) {
      const counts = await Promise.all(shards.map((s) => s.store.countSubsidies(campaign)));
      return counts.reduce((a, b) => ({ count: a.count + b.count, amount: a.amount + b.amount }), {
        count: 0,
        amount: 0,
      });
    },

    async creditSubsidyBalance(claimNo, now) {
      const claimShard = router.byPacketNo(claimNo);
      const claim = await claimShard.store.getClaimByNo(claimNo);
      if (!claim) throw new RedpktError('ORDER_NOT_FOUND', `no claim ${claimNo}`, { details: { claimNo } });
      // claim and balance on one shard: the single-database transaction
      if (router.byUid(claim.uid) === claimShard) return claimShard.store.creditSubsidyBalance(claimNo, now);
      return creditAcrossShards(claim, claimShard, now);
    },
    getSubsidyBalance: (uid) => router.byUid(uid).store.getSubsidyBalance(uid),
    createWithdrawal: (input) => router.byUid(input.uid).store.createWithdrawal(input),
    async settleWithdrawal(withdrawalNo, to, providerTxnId, now) {
      // an unknown withdrawal: any shard answers ORDER_NOT_FOUND
      const shard = (await router.withdrawal(withdrawalNo))?.shard ?? router.byPacketNo(withdrawalNo);
      return shard.store.settleWithdrawal(withdrawalNo, to, providerTxnId, now);
    },
    async getWithdrawal(withdrawalNo) {
      return (await router.withdrawal(withdrawalNo))?.value ?? null;
    },
    listWithdrawals: (uid) => router.byUid(uid).store.listWithdrawals(uid),

    startB2cReturn: (packetId, now) => router.byPacketNo(packetId).store.startB2cReturn(packetId, now),
    settleB2cReturn: (packetId, now) => router.byPacketNo(packetId).store.settleB2cReturn(packetId, now),
    getB2cReturn: (packetId) => router.byPacketNo(packetId).store.getB2cReturn(packetId),
  };
}
