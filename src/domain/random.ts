/**
 * Issue 24: randomness as a port. A `Random` is a uniform source in [0, 1); production uses
 * Math.random (crypto bytes where ids need them), the simulation a seeded generator so that a seed
 * replays a run bit for bit.
 */
import type { RandomInt } from './split.js';

export type Random = () => number;

/** mulberry32: a tiny, fast, seedable generator (not for secrets). */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integers in [0, n) from a Random (the shape `nextShare` and the id makers take). */
export function randomIntOf(random: Random): RandomInt {
  return (n) => Math.floor(random() * n);
}
