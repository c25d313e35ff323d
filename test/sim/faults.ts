/**
 * Issue 24: the faults of one run, swarm style (Groce et al., "Swarm testing"): each kind is on
 * or off for the whole run and, when on, fires with a rate drawn from the seed, so some runs hammer
 * one kind and others mix them all.
 */
import type { Kernel } from './kernel.js';

export const FAULT_KINDS = [
  /** A packet-store call fails before it runs (nothing written; the caller sees an error). */
  'store_before_commit',
  /** A packet-store call runs (commits) and then fails (the caller sees an error anyway). */
  'store_after_commit',
  /** Finance answers an error before doing anything. */
  'finance_error',
  /** Finance does the work, then the answer is lost (a timeout after commit). */
  'finance_timeout_after_commit',
  /** The request reaches finance twice (the second copy later; its answer is lost). */
  'finance_twice',
  'callback_drop',
  'callback_duplicate',
  /** A callback is held back for a while (and so reordered with later ones). */
  'callback_delay',
  /** The packet service process dies at an await point; it restarts with its stores kept. */
  'crash',
  /** The worker's lease is short and time jumps past it while a task still runs. */
  'lease_expiry',
  /** The clock jumps minutes or hours at once. */
  'clock_jump',
  /** The grant queue loses an acknowledgement: a booked batch is delivered again. */
  'grant_redeliver',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultCounts = Record<FaultKind, number>;

export const zeroCounts = (): FaultCounts =>
  Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts;

/** Upper bounds of each kind's rate (per call, per callback, per gate, per step). */
const MAX_RATE: Record<FaultKind, number> = {
  store_before_commit: 0.08,
  store_after_commit: 0.08,
  finance_error: 0.3,
  finance_timeout_after_commit: 0.3,
  finance_twice: 0.2,
  callback_drop: 0.4,
  callback_duplicate: 0.3,
  callback_delay: 0.4,
  crash: 0.03,
  lease_expiry: 1,
  clock_jump: 0.05,
  grant_redeliver: 0.5,
};

export class Faults {
  readonly rates: Record<FaultKind, number>;
  readonly counts = zeroCounts();
  /** false once the run heads for quiescence: no fault fires any more. */
  on = true;

  constructor(
    private readonly k: Kernel,
    opts: { enabled?: readonly FaultKind[] | 'all' | 'none' } = {},
  ) {
    const enabled = opts.enabled ?? 'all';
    this.rates = Object.fromEntries(
      FAULT_KINDS.map((kind) => {
        // always drawn, so the seed's later numbers do not depend on which kinds are allowed
        const swarmOn = k.random() < 0.5;
        const rate = k.random() * MAX_RATE[kind];
        const allowed = enabled === 'all' || (enabled !== 'none' && enabled.includes(kind));
        return [kind, allowed && swarmOn ? rate : 0];
      }),
    ) as Record<FaultKind, number>;
  }

  /** Whether `kind` fires now (counted when it does). */
  fire(kind: FaultKind): boolean {
    if (!this.on || this.rates[kind] <= 0) return false;
    if (!this.k.chance(this.rates[kind])) return false;
    this.counts[kind]++;
    return true;
  }

  active(kind: FaultKind): boolean {
    return this.rates[kind] > 0;
  }

  describe(): string {
    return FAULT_KINDS.filter((k) => this.rates[k] > 0)
      .map((k) => `${k}=${this.rates[k].toFixed(3)}`)
      .join(' ');
  }
}
