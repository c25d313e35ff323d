/**
 * Issue 24: a small shrinker. A failing seed is run again with fewer steps (halving while it still
 * fails) and with each fault kind switched off in turn (kept off while it still fails), so the
 * report names the fewest steps and fault kinds that still break an invariant.
 */
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { runSeed, type SimOptions, type SimResult } from './run-seed.js';

export interface Shrunk {
  steps: number;
  faults: FaultKind[];
  result: SimResult;
  runs: number;
}

export async function shrink(failing: SimOptions, budget = 24): Promise<Shrunk> {
  let steps = failing.steps;
  let faults: FaultKind[] =
    failing.faults === 'none'
      ? []
      : failing.faults === 'all' || !failing.faults
        ? [...FAULT_KINDS]
        : [...failing.faults];
  let best = await runSeed({ ...failing, steps, faults });
  let runs = 1;
  if (best.ok) return { steps, faults, result: best, runs };
  // the step loop stops at the first violation: that is an upper bound already
  steps = Math.min(steps, best.steps);
  for (let s = Math.floor(steps / 2); s >= 1 && runs < budget; s = Math.floor(s / 2)) {
    const r = await runSeed({ ...failing, steps: s, faults });
    runs++;
    if (r.ok) break;
    steps = Math.min(s, r.steps);
    best = r;
  }
  for (const kind of [...faults]) {
    if (runs >= budget) break;
    const fewer = faults.filter((f) => f !== kind);
    const r = await runSeed({ ...failing, steps, faults: fewer });
    runs++;
    if (!r.ok) {
      faults = fewer;
      best = r;
    }
  }
  return { steps, faults, result: best, runs };
}
