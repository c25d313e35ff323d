import type { ClaimOutcome, ClaimSharesResult, PacketStore } from '../domain/ports.js';
import type { Packet } from '../domain/packet.js';
import type { RandomInt } from '../domain/split.js';

/**
 * The per-packet in-memory claim queue of the core (DESIGN §3 step 2).
 *
 * At most one claim transaction per packet is deciding at a time in this process; claimers who
 * arrive while it runs wait behind it and are coalesced into the NEXT transaction: one lock, one
 * packet update, one multi-row insert for the whole batch. The next transaction starts as soon as
 * the previous one has made its writes and only its COMMIT is left (the store's `onDecided`, issue
 * 25): its lock waits for that COMMIT in the database, so a hot packet's transactions follow each
 * other without a gap, and a claimer is still answered only after the COMMIT of their claim.
 * Claimers of DIFFERENT packets that are waiting at the same moment share that transaction too
 * (issue 6, cross-packet group commit, `PacketStore.claimSharesMany`): at most `maxGroups` group
 * transactions run at once, and each one takes every packet that is waiting and not already in a
 * transaction, up to `maxBatch` claimers. A group starts when a claimer arrives and no group is
 * running (light load: at once), or when a running group is decided or ends (then it takes
 * everyone who arrived meanwhile). A claimer who arrives while groups run waits for that moment,
 * at most one of their round trips (and at most `maxWaitMs`, should a group be stuck in the
 * database), instead of taking a free slot for a group of their own: under spread load half the
 * groups were one claim each, every one a whole transaction (issue 25, docs/performance.md).
 * Under heavy load the groups grow, so a claim costs a fraction of a transaction's round trips.
 * A queue whose packet has nobody waiting is dropped at once, so memory follows the packets being
 * claimed right now, not every packet ever claimed. Correctness does not rest on this queue: the database lock is the final
 * guard (another process, or a gateway rerouting a packet, stays safe); the queue only removes the
 * lock convoy and the per-claim round trips.
 */
export interface ClaimCoalescer {
  /** The claimer's outcome and the packet after the transaction that served it. */
  claim(packetId: string, uid: string): Promise<{ outcome: ClaimOutcome; packet: Packet | null }>;
  /** Packets with a queue right now (in a transaction or waiting). */
  activeQueues(): number;
  /** Claimers who asked and have no answer yet (waiting or in a transaction). */
  claimsInFlight(): number;
}

export interface ClaimCoalescerOptions {
  store: Pick<PacketStore, 'claimSharesMany'>;
  now: () => number;
  random?: RandomInt | undefined;
  /** Most claimers in one transaction (bounds the statement size and the lock time). */
  maxBatch?: number;
  /** Most group transactions at once (each holds one database connection while it runs). */
  maxGroups?: number;
  /** Most packets in one transaction; 1 turns the cross-packet group commit off. */
  maxPacketsPerGroup?: number;
  /**
   * Longest a claimer waits for a running group to be decided or end before a free slot starts
   * their group anyway: a group stuck in the database (a lock wait) holds up only its own claimers.
   */
  maxWaitMs?: number;
}

interface Waiter {
  uid: string;
  resolve(value: { outcome: ClaimOutcome; packet: Packet | null }): void;
  reject(error: unknown): void;
}

interface PacketQueue {
  waiting: Waiter[];
  /** In a group transaction right now: its new waiters wait for the next group. */
  running: boolean;
}

/**
 * 1,000: with 1,000 claimers of one packet arriving at once, all but the first go into one
 * transaction instead of two; in `npm run bench:claim` (hot packet, 1,000 claimers) 1,000 had a
 * lower p50 and p99 than 500 in each of three alternating pairs of runs (docs/performance.md).
 */
export const DEFAULT_MAX_BATCH = 1000;
export const DEFAULT_MAX_GROUPS = 4;
/** Far above a loaded group's round trips (a few ms), far below a lock-wait timeout (seconds). */
export const DEFAULT_MAX_WAIT_MS = 25;

export function createClaimCoalescer(opts: ClaimCoalescerOptions): ClaimCoalescer {
  const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
  const maxGroups = opts.maxGroups ?? DEFAULT_MAX_GROUPS;
  const maxPackets = opts.maxPacketsPerGroup ?? Infinity;
  const maxWaitMs = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  /** packetId -> its queue; present while it has waiters or a transaction. */
  const queues = new Map<string, PacketQueue>();
  /** Packets with waiters and no transaction, oldest first (a Set keeps insertion order). */
  const ready = new Set<string>();
  let groups = 0;
  let inFlight = 0;
  /** A pump after `maxWaitMs`, while claimers wait for the running groups. */
  let lateStart: ReturnType<typeof setTimeout> | undefined;

  function takeGroup(): Map<string, Waiter[]> {
    const group = new Map<string, Waiter[]>();
    let room = maxBatch;
    for (const packetId of ready) {
      if (room === 0 || group.size === maxPackets) break;
      const queue = queues.get(packetId)!;
      const batch = takeBatch(queue.waiting, room);
      room -= new Set(batch.map((w) => w.uid)).size;
      group.set(packetId, batch);
      queue.running = true;
      ready.delete(packetId);
    }
    return group;
  }

  function pump(): void {
    // whoever waited is taken now (or waits for a full set of groups): the fallback is not needed
    if (lateStart !== undefined) {
      clearTimeout(lateStart);
      lateStart = undefined;
    }
    while (groups < maxGroups && ready.size > 0) {
      groups++;
      void run(takeGroup());
    }
  }

  /**
   * The group's packets are in no transaction of this process any more: their waiters may form
   * the next group. Once per group, whichever comes first: the store saying the group is decided
   * (only its COMMIT left, issue 25), or the group's end.
   */
  function release(group: Map<string, Waiter[]>): void {
    for (const packetId of group.keys()) {
      const queue = queues.get(packetId)!;
      queue.running = false;
      if (queue.waiting.length > 0) ready.add(packetId);
      else queues.delete(packetId);
    }
  }

  async function run(group: Map<string, Waiter[]>): Promise<void> {
    const requests = [...group].map(([packetId, batch]) => ({ packetId, uids: batch.map((w) => w.uid) }));
    const rejectAll = (e: unknown) => {
      for (const batch of group.values()) for (const w of batch) w.reject(e);
    };
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      release(group);
    };
    const decided = () => {
      releaseOnce();
      // the next group of these packets starts now: its lock SELECT waits in the database for
      // this group's COMMIT, so the packet's next transaction begins the moment this one ends,
      // not one COMMIT round trip and one turn of the event loop later
      pump();
    };
    let settle: () => void;
    try {
      // resolves only when every transaction of the group has ended (a sharded store runs one per
      // shard and waits for all)
      const results = await opts.store.claimSharesMany(requests, opts.now(), opts.random, decided);
      // a packet whose transaction failed (`error`) fails its own claimers only: the others'
      // claims committed and are answered
      settle = () => requests.forEach(({ packetId }, i) => answer(group.get(packetId)!, results[i]));
    } catch (e) {
      // the whole group was one transaction and it failed: nobody of the group has a claim
      settle = () => rejectAll(e);
    }
    let answered = 0;
    for (const batch of group.values()) answered += batch.length;
    groups--;
    releaseOnce();
    // The next group's transaction starts BEFORE this group is answered, and the answers are
    // written in the next turn of the event loop: answering a batch (its claimers' HTTP responses)
    // is a long run of synchronous work, and the next transaction's first round trip then runs in
    // the database meanwhile instead of after it (issue 6: the hot packet's cycle was that work
    // plus three round trips, one after the other).
    pump();
    setImmediate(() => {
      inFlight -= answered;
      try {
        settle();
      } catch (e) {
        // a store answer of an unexpected shape: whoever of the group is still waiting fails
        // (resolve and reject after the first answer do nothing), the process goes on
        rejectAll(e);
      }
    });
  }

  return {
    claim(packetId, uid) {
      inFlight++;
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { uid, resolve, reject };
        const queue = queues.get(packetId);
        if (queue) {
          queue.waiting.push(waiter);
          if (!queue.running) ready.add(packetId);
        } else {
          queues.set(packetId, { waiting: [waiter], running: false });
          ready.add(packetId);
        }
        // with groups running, the next group starts when one of them is decided or ends (or after
        // maxWaitMs, if none is by then); a queue without cross-packet groups (one packet a
        // transaction) has nothing to wait for
        if (groups === 0 || maxPackets === 1) pump();
        else lateStart ??= setTimeout(pump, maxWaitMs).unref();
      });
    },
    activeQueues: () => queues.size,
    claimsInFlight: () => inFlight,
  };
}

function answer(batch: readonly Waiter[], result: ClaimSharesResult | undefined): void {
  if (result?.error !== undefined) {
    for (const w of batch) w.reject(result.error);
    return;
  }
  const byUid = new Map(result?.outcomes.map((o) => [o.uid, o]));
  for (const w of batch) {
    const outcome = byUid.get(w.uid);
    if (outcome && result) w.resolve({ outcome, packet: result.packet });
    else w.reject(new Error(`the store answered no outcome for ${w.uid}`));
  }
}

/**
 * Up to `max` distinct uids from the front of the line; a uid already in the batch rides along
 * (it gets the same outcome) without taking a place.
 */
function takeBatch(waiting: Waiter[], max: number): Waiter[] {
  const seen = new Set<string>();
  let end = 0;
  while (end < waiting.length) {
    const uid = waiting[end]!.uid;
    if (!seen.has(uid)) {
      if (seen.size === max) break;
      seen.add(uid);
    }
    end++;
  }
  return waiting.splice(0, end);
}

/**
 * No queue at all: every claimer runs its own transaction and waits on the row lock (the plain
 * row-locking path the benchmark compares against). Same interface, so nothing else changes.
 */
export function createDirectClaims(opts: {
  store: Pick<PacketStore, 'claimShares'>;
  now: () => number;
  random?: RandomInt | undefined;
}): ClaimCoalescer {
  let inFlight = 0;
  return {
    async claim(packetId, uid) {
      inFlight++;
      try {
        const result = await opts.store.claimShares(packetId, [uid], opts.now(), opts.random);
        const outcome = result.outcomes[0];
        if (!outcome) throw new Error(`the store answered no outcome for ${uid}`);
        return { outcome, packet: result.packet };
      } finally {
        inFlight--;
      }
    },
    activeQueues: () => 0,
    claimsInFlight: () => inFlight,
  };
}

/**
 * How claims reach the store (`redpkt serve` runs `coalesce`; the claim benchmark compares them):
 * `coalesce`: the per-packet queue with cross-packet group commit; `coalesce-per-packet`: the
 * queue batching one packet's claimers only, each packet its own transaction (before issue 6's
 * group commit); `queue`: one claimer per transaction; `direct`: no queue, every claimer waits on
 * the row lock.
 */
export type ClaimPath = 'coalesce' | 'coalesce-per-packet' | 'queue' | 'direct';

export function createClaims(
  path: ClaimPath,
  opts: {
    store: Pick<PacketStore, 'claimShares' | 'claimSharesMany'>;
    now: () => number;
    maxGroups?: number;
  },
): ClaimCoalescer {
  const base = { store: opts.store, now: opts.now };
  switch (path) {
    case 'direct':
      return createDirectClaims(opts);
    case 'queue':
      return createClaimCoalescer({ ...base, maxBatch: 1, maxGroups: Infinity, maxPacketsPerGroup: 1 });
    case 'coalesce-per-packet':
      return createClaimCoalescer({ ...base, maxGroups: Infinity, maxPacketsPerGroup: 1 });
    case 'coalesce':
      return createClaimCoalescer(opts);
  }
}
