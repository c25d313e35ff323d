/** A uniform source in [0, 1). Injected wherever a knob rolls dice, so tests are deterministic. */
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

/** true with probability `rate` (0 never, 1 always: no dice rolled at the ends). */
export function chance(random: Random, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return random() < rate;
}
