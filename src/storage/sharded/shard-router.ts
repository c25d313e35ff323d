/**
 * Issue 6: finds the shard of a row from what the caller has: a packet number (the shard is in
 * it), a uid (hashed), or an order number that carries no shard.
 *
 * Payment orders (`PAY…`) and withdrawals (`WDR…`) are numbered by the services without a shard,
 * so the router asks every shard for them (one primary-key read each, in parallel) and remembers
 * the answer: a row never moves, so a found shard stays right for the life of the data. Those
 * numbers are looked up on slow paths only (a payment callback or re-check per packet, a
 * withdrawal's settlement); the hot path, the claim, always routes by the packet id. Putting a
 * shard into those numbers instead would change their format at finance and in recon for little.
 *
 * A shard that is down fails only the lookups that need it: a row found on a healthy shard is
 * answered (every shard is asked and waited for), and "not found" is only said when every shard
 * answered; when one failed and no other has the row, the lookup throws (DEPENDENCY_FAILED for a
 * connection failure): the row may well be on the shard that did not answer.
 */
import type { PaymentOrder } from '../../domain/order.js';
import type { TaskKind } from '../../domain/ports.js';
import type { Withdrawal } from '../../domain/subsidy.js';
import type { Shard } from './mysql-shard.js';
import { askEveryShard, logShardFailures, shardError, type ShardFailureListener } from './shard-failures.js';
import { MAX_SHARDS, shardOfKey, shardOfPacketNo } from './shard-routing.js';

/** Found shards remembered per (kind, key); the oldest are forgotten first. */
const REMEMBERED = 50_000;

export interface Found<T> {
  shard: Shard;
  value: T;
}

export interface ShardRouter {
  readonly shards: readonly Shard[];
  /** The packet's shard, from a packet id, claim number or refund number; shard 0 for a number no shard has. */
  byPacketNo(no: string): Shard;
  /** The shard of a user's rows, and of the packets the user sends. */
  byUid(uid: string): Shard;
  byKey(key: string): Shard;
  payment(payOrderNo: string): Promise<Found<PaymentOrder> | null>;
  withdrawal(withdrawalNo: string): Promise<Found<Withdrawal> | null>;
  /** The shard holding a task: where the row it is about lives (shard 0 when that row is nowhere). */
  forTask(kind: TaskKind, ref: string): Promise<Shard>;
  /**
   * Asks every shard (the remembered one first) and returns the first answer; null when every
   * shard answered that it has none; throws when none has it and some shard failed.
   */
  find<T>(kind: string, key: string, probe: (shard: Shard) => Promise<T | null>): Promise<Found<T> | null>;
  /** Where the composed stores report a shard that failed a call (logged, counted). */
  readonly onShardFailure: ShardFailureListener;
}

/**
 * A packet id, claim or refund number (`P07…`, `S07…-3`) is never a payment or withdrawal number
 * (`PAY…`, `SWDR…`, src/domain/ids.ts): finance's callback for a claim's transfer asks whether it
 * is a withdrawal, and the answer needs no database.
 */
const namesPacket = (no: string): boolean => shardOfPacketNo(no, MAX_SHARDS) !== null;

export function createShardRouter(
  shards: readonly Shard[],
  onShardFailure: ShardFailureListener = logShardFailures(),
): ShardRouter {
  const count = shards.length;
  const remembered = new Map<string, number>();
  const at = (index: number): Shard => {
    const shard = shards[index];
    if (!shard) throw new Error(`no shard ${index} of ${count}`);
    return shard;
  };

  async function find<T>(
    kind: string,
    key: string,
    probe: (shard: Shard) => Promise<T | null>,
  ): Promise<Found<T> | null> {
    const memo = `${kind}:${key}`;
    const known = remembered.get(memo);
    const operation = `find ${kind}`;
    if (known !== undefined) {
      let value: T | null;
      try {
        value = await probe(at(known));
      } catch (e) {
        // a row never moves: no other shard can have it
        onShardFailure({ shard: known, shards: count, operation, error: e });
        throw shardError(known, count, `${operation} ${key}`, e);
      }
      if (value !== null) return { shard: at(known), value };
    }
    // every shard is waited for: a failed one does not hide a row another one has
    const answers = await askEveryShard(shards, operation, onShardFailure, probe);
    const index = answers.findIndex((a) => a.ok && a.value !== null);
    const hit = answers[index];
    if (!hit?.ok || hit.value === null) {
      const failed = answers.findIndex((a) => !a.ok);
      const failure = answers[failed];
      if (failure && !failure.ok) throw shardError(failed, count, `${operation} ${key}`, failure.error);
      return null;
    }
    const value = hit.value;
    if (remembered.size >= REMEMBERED) {
      const oldest = remembered.keys().next();
      if (!oldest.done) remembered.delete(oldest.value);
    }
    remembered.set(memo, index);
    return { shard: at(index), value };
  }

  const router: ShardRouter = {
    shards,
    byPacketNo: (no) => at(shardOfPacketNo(no, count) ?? 0),
    byUid: (uid) => at(shardOfKey(uid, count)),
    byKey: (key) => at(shardOfKey(key, count)),
    payment: (payOrderNo) =>
      namesPacket(payOrderNo)
        ? Promise.resolve(null)
        : find('payment', payOrderNo, (s) => s.store.getPayment(payOrderNo)),
    withdrawal: (withdrawalNo) =>
      namesPacket(withdrawalNo)
        ? Promise.resolve(null)
        : find('withdrawal', withdrawalNo, (s) => s.store.getWithdrawal(withdrawalNo)),
    async forTask(kind, ref) {
      switch (kind) {
        case 'transfer':
        case 'expire':
        case 'refund':
          // claim numbers, packet ids, refund numbers and B2C return numbers carry the packet's shard
          return router.byPacketNo(ref);
        case 'payment_recheck':
          return (await router.payment(ref))?.shard ?? at(0);
        case 'withdrawal':
          return (await router.withdrawal(ref))?.shard ?? at(0);
      }
    },
    find,
    onShardFailure,
  };
  return router;
}
