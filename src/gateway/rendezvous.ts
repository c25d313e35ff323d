/**
 * Rendezvous (highest-random-weight) hashing: every (core, packet id) pair gets a score, and a
 * packet's cores ranked by score are where its requests go, first to last. Every gateway given the
 * same cores (in any order) ranks every packet the same way, with no shared state; removing a
 * core moves only the packets it ranked first (each to its own runner-up), adding one takes
 * about 1/n of the packets and moves nothing else.
 *
 * The score is FNV-1a (32 bit) of the packet id seeded with the core's own FNV-1a hash, then
 * murmur3's finalizer (fmix32) so that ids sharing a long prefix (`P00` + time) still spread
 * evenly: a few dozen integer multiplications per core, no allocation, no node:crypto.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of `text` (ids are ASCII), from `seed`; unsigned 32 bit. */
export function fnv1a32(text: string, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: every input bit flips about half of the output bits. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Rendezvous {
  /** The core ids as given. */
  readonly ids: readonly string[];
  /** Indexes into `ids`, best first: where `key`'s requests go, and where they fail over to. */
  rank(key: string): number[];
  /** The index of the best core for `key` among those `usable` accepts, or -1 when none is. */
  pick(key: string, usable: (index: number) => boolean): number;
}

/** `ids` must be distinct (e.g. the cores' origins); the ranking does not depend on their order. */
export function createRendezvous(ids: readonly string[]): Rendezvous {
  if (new Set(ids).size !== ids.length) throw new Error('rendezvous: core ids must be distinct');
  const seeds = ids.map((id) => fnv1a32(id));
  const score = (key: string, i: number) => fmix32(fnv1a32(key, seeds[i]));
  // Equal scores (rare: 32-bit hashes) are ordered by id, so the ranking never depends on input order.
  const better = (a: number, sa: number, b: number, sb: number) => (sa !== sb ? sa > sb : ids[a]! < ids[b]!);

  return {
    ids,
    rank(key) {
      const scores = ids.map((_, i) => score(key, i));
      return ids
        .map((_, i) => i)
        .sort((a, b) =>
          better(a, scores[a]!, b, scores[b]!) ? -1 : better(b, scores[b]!, a, scores[a]!) ? 1 : 0,
        );
    },
    pick(key, usable) {
      let best = -1;
      let bestScore = 0;
      for (let i = 0; i < ids.length; i++) {
        if (!usable(i)) continue;
        const s = score(key, i);
        if (best === -1 || better(i, s, best, bestScore)) {
          best = i;
          bestScore = s;
        }
      }
      return best;
    },
  };
}
