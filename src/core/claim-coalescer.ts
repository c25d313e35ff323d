import type { ClaimOutcome, ClaimSharesResult, PacketStore } from '../domain/ports.js';
import type { Packet } from '../domain/packet.js';
import type { RandomInt } from '../domain/split.js';

/**
 * The per-packet in-memory claim queue of the core (DESIGN §3 step 2).
 *
 * At most one claim transaction per packet runs at a time in this process; claimers who arrive
 * while it runs wait behind it and are coalesced into the NEXT transaction: one lock, one packet
 * update, one multi-row insert for the whole batch (`PacketStore.claimShares`). A queue whose
 * packet has nobody waiting is dropped at once, so memory follows the packets being claimed right
 * now, not every packet ever claimed. Correctness does not rest on this queue: the database lock
 * is the final guard (another process, or a gateway rerouting a packet, stays safe); the queue
 * only removes the lock convoy.
 */
export interface ClaimCoalescer {
  /** The claimer's outcome and the packet after the transaction that served it. */
  claim(packetId: string, uid: string): Promise<{ outcome: ClaimOutcome; packet: Packet | null }>;
  /** Packets with a queue right now (running or waiting). */
  activeQueues(): number;
}

export interface ClaimCoalescerOptions {
  store: Pick<PacketStore, 'claimShares'>;
  now: () => number;
  random?: RandomInt | undefined;
  /** Most claimers in one transaction (bounds the statement size and the lock time). */
  maxBatch?: number;
}

interface Waiter {
  uid: string;
  resolve(value: { outcome: ClaimOutcome; packet: Packet | null }): void;
  reject(error: unknown): void;
}

export function createClaimCoalescer(opts: ClaimCoalescerOptions): ClaimCoalescer {
  const maxBatch = opts.maxBatch ?? 500;
  /** packetId -> claimers waiting for the next transaction; present while a drain loop runs. */
  const queues = new Map<string, Waiter[]>();

  async function drain(packetId: string, waiting: Waiter[]): Promise<void> {
    while (waiting.length > 0) {
      const batch = takeBatch(waiting, maxBatch);
      let result: ClaimSharesResult;
      try {
        result = await opts.store.claimShares(
          packetId,
          batch.map((w) => w.uid),
          opts.now(),
          opts.random,
        );
      } catch (e) {
        for (const w of batch) w.reject(e);
        continue;
      }
      const byUid = new Map(result.outcomes.map((o) => [o.uid, o]));
      for (const w of batch) {
        const outcome = byUid.get(w.uid);
        if (outcome) w.resolve({ outcome, packet: result.packet });
        else w.reject(new Error(`the store answered no outcome for ${w.uid}`));
      }
    }
    queues.delete(packetId);
  }

  return {
    claim(packetId, uid) {
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { uid, resolve, reject };
        const waiting = queues.get(packetId);
        if (waiting) {
          waiting.push(waiter);
          return;
        }
        const fresh = [waiter];
        queues.set(packetId, fresh);
        void drain(packetId, fresh);
      });
    },
    activeQueues: () => queues.size,
  };
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
export function createDirectClaims(opts: Omit<ClaimCoalescerOptions, 'maxBatch'>): ClaimCoalescer {
  return {
    async claim(packetId, uid) {
      const result = await opts.store.claimShares(packetId, [uid], opts.now(), opts.random);
      const outcome = result.outcomes[0];
      if (!outcome) throw new Error(`the store answered no outcome for ${uid}`);
      return { outcome, packet: result.packet };
    },
    activeQueues: () => 0,
  };
}
