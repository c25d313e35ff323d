/**
 * The pure rules of `advanceClaims` (the worker's transfer batches), shared by the single-database
 * and the sharded stores: a batch names each claim once, and the claims' walks (./settlement-rules.ts
 * `stepsTowards`) become a few set-based guarded UPDATEs instead of one per claim and step.
 */
import type { ClaimStatus } from '../../domain/claim.js';
import { RedpktError } from '../../domain/errors.js';

/** VALIDATION_FAILED when a number appears twice (its result would be ambiguous). */
export function assertDistinctClaimNos(claimNos: readonly string[]): void {
  const seen = new Set<string>();
  for (const claimNo of claimNos) {
    if (seen.has(claimNo)) {
      throw new RedpktError('VALIDATION_FAILED', `claim ${claimNo} appears twice in one batch`, {
        details: { claimNo },
      });
    }
    seen.add(claimNo);
  }
}

/** One claim's walk: where it is and the steps it still takes, in order. */
export interface ClaimWalk {
  claimNo: string;
  from: ClaimStatus;
  steps: readonly ClaimStatus[];
}

/** `UPDATE claims SET status = to WHERE claim_no IN (claimNos) AND status = guard`. */
export interface ClaimsUpdate {
  guard: ClaimStatus;
  to: ClaimStatus;
  claimNos: string[];
}

/**
 * The updates that walk every claim through its steps, in the order to run them: one per
 * (guard, step) in each wave. A wave takes the next step of every claim whose status no other claim
 * still has to reach, so the claims that arrive at a status join those already there in one update
 * (claimed -> transferring first, then every transferring claim -> transferred together). Should
 * every status still be awaited (a cycle; the claim rules make none), a wave takes every next step.
 */
export function claimsUpdates(walks: readonly ClaimWalk[]): ClaimsUpdate[] {
  let open = walks
    .filter((w) => w.steps.length > 0)
    .map((w) => ({ claimNo: w.claimNo, at: w.from, steps: [...w.steps] }));
  const updates: ClaimsUpdate[] = [];
  while (open.length > 0) {
    const awaited = new Set(open.flatMap((w) => w.steps));
    const ready = open.filter((w) => !awaited.has(w.at));
    const wave = new Map<string, ClaimsUpdate>();
    for (const walk of ready.length > 0 ? ready : open) {
      const to = walk.steps.shift();
      if (to === undefined) continue;
      const key = `${walk.at}>${to}`;
      const update = wave.get(key) ?? { guard: walk.at, to, claimNos: [] };
      update.claimNos.push(walk.claimNo);
      wave.set(key, update);
      walk.at = to;
    }
    updates.push(...wave.values());
    open = open.filter((w) => w.steps.length > 0);
  }
  return updates;
}
