/** Fault knobs of the simulated provider, changed at runtime (HTTP or code) to rehearse failures. */
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(60_000);

export const KnobsSchema = z.object({
  /** Added to every API call (admin routes excepted). */
  latencyMs: ms,
  /** Share of API calls answered 503 DEPENDENCY_FAILED before anything is done. */
  failureRate: rate,
  /** Share of successful API calls whose work is committed and then answered 503 anyway. */
  failAfterCommitRate: rate,
  /** Share of callbacks never sent. */
  dropCallbacks: rate,
  /** Share of callbacks sent twice. */
  duplicateCallbacks: rate,
  /** Each callback waits a random 0..callbackDelayMs first, so callbacks arrive out of order. */
  callbackDelayMs: ms,
  /** New transfers and refunds stay pending: a provider that never answers. */
  holdOrders: z.boolean(),
});

export type FinanceKnobs = z.infer<typeof KnobsSchema>;
export const KnobsPatchSchema = KnobsSchema.partial().strict();
export type KnobsPatch = z.infer<typeof KnobsPatchSchema>;

export const DEFAULT_KNOBS: Readonly<FinanceKnobs> = Object.freeze({
  latencyMs: 0,
  failureRate: 0,
  failAfterCommitRate: 0,
  dropCallbacks: 0,
  duplicateCallbacks: 0,
  callbackDelayMs: 0,
  holdOrders: false,
});

export interface Knobs {
  get(): Readonly<FinanceKnobs>;
  /** Validates and applies a partial update; returns the new knobs. VALIDATION_FAILED on bad values. */
  set(patch: KnobsPatch): Readonly<FinanceKnobs>;
  reset(): Readonly<FinanceKnobs>;
}

export function createKnobs(initial: KnobsPatch = {}): Knobs {
  let current: Readonly<FinanceKnobs> = DEFAULT_KNOBS;
  const knobs: Knobs = {
    get: () => current,
    set(patch) {
      const parsed = KnobsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        throw new RedpktError(
          'VALIDATION_FAILED',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      current = Object.freeze({ ...current, ...parsed.data });
      return current;
    },
    reset() {
      current = DEFAULT_KNOBS;
      return current;
    },
  };
  knobs.set(initial);
  return knobs;
}
