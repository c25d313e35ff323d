import { describe, expect, it } from 'vitest';
import { newPacketId } from '../domain/ids.js';
import { createRendezvous, fmix32, fnv1a32 } from './rendezvous.js';

const CORES = ['http://10.0.0.1:8080', 'http://10.0.0.2:8080', 'http://10.0.0.3:8080'];

/** Packet ids as the service makes them: many share their time prefix, as in a burst of sends. */
function packetIds(n: number): string[] {
  const start = Date.UTC(2026, 1, 11, 20);
  return Array.from({ length: n }, (_, i) => newPacketId(0, start + Math.floor(i / 50)));
}

describe('rendezvous hashing', () => {
  it('hashes like the published FNV-1a and murmur3 finalizer', () => {
    // FNV-1a 32 test vectors (Fowler/Noll/Vo) and fmix32's fixed point at zero.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).not.toBe(fmix32(2));
  });

  it('ranks every core once, the same way every time and whatever order the cores are listed in', () => {
    const a = createRendezvous(CORES);
    const b = createRendezvous([...CORES].reverse());
    for (const id of packetIds(500)) {
      const ranked = a.rank(id).map((i) => CORES[i]);
      expect([...ranked].sort()).toEqual([...CORES].sort());
      expect(a.rank(id).map((i) => CORES[i])).toEqual(ranked);
      expect(b.rank(id).map((i) => b.ids[i])).toEqual(ranked);
      expect(CORES[a.pick(id, () => true)]).toBe(ranked[0]);
    }
  });

  it('spreads 10,000 packet ids over 3 cores within 10% of an even share', () => {
    const r = createRendezvous(CORES);
    const counts = [0, 0, 0];
    for (const id of packetIds(10_000)) counts[r.rank(id)[0]!]!++;
    for (const c of counts) {
      expect(c).toBeGreaterThan(3333 * 0.9);
      expect(c).toBeLessThan(3333 * 1.1);
    }
  });

  it('moves only the packets of a removed core, each to its runner-up', () => {
    const all = createRendezvous(CORES);
    const without = createRendezvous(CORES.filter((c) => c !== CORES[1]));
    let moved = 0;
    for (const id of packetIds(3_000)) {
      const before = all.rank(id).map((i) => CORES[i]!);
      const after = without.ids[without.rank(id)[0]!];
      if (before[0] === CORES[1]) {
        moved++;
        expect(after).toBe(before[1]);
      } else {
        expect(after).toBe(before[0]);
      }
      // pick() skipping the core gives the same answer as a ranking without it
      expect(CORES[all.pick(id, (i) => i !== 1)]).toBe(after);
    }
    expect(moved).toBeGreaterThan(800);
  });

  it('gives a new core about a quarter of the packets and moves nothing between the old ones', () => {
    const three = createRendezvous(CORES);
    const four = createRendezvous([...CORES, 'http://10.0.0.4:8080']);
    let taken = 0;
    const ids = packetIds(4_000);
    for (const id of ids) {
      const after = four.ids[four.rank(id)[0]!];
      if (after === 'http://10.0.0.4:8080') taken++;
      else expect(after).toBe(CORES[three.rank(id)[0]!]);
    }
    expect(taken / ids.length).toBeGreaterThan(0.2);
    expect(taken / ids.length).toBeLessThan(0.3);
  });

  it('refuses the same core twice and picks none when no core is usable', () => {
    expect(() => createRendezvous(['http://a:1', 'http://a:1'])).toThrow(/distinct/);
    expect(createRendezvous(CORES).pick('P00X', () => false)).toBe(-1);
  });
});
