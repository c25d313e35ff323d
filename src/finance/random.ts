/** A uniform source in [0, 1). Injected wherever a knob rolls dice, so tests are deterministic. */
import type { Random } from '../domain/random.js';

export type { Random };
/** mulberry32 (issue 24: the domain's seeded source, src/domain/random.ts). */
export { createSeededRandom } from '../domain/random.js';

/** true with probability `rate` (0 never, 1 always: no dice rolled at the ends). */
export function chance(random: Random, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return random() < rate;
}
