/**
 * Issue 18: a signed write is accepted once. A signature is fresh for DEFAULT_TOLERANCE_MS either
 * side of its timestamp, so each accepted write's signature is kept until its timestamp leaves
 * that window; the same signature again inside it (a captured `PUT /finance/admin/knobs`
 * replayed) is refused. Kept by finance's store as widely as its database is shared (a table on
 * MySQL/MariaDB, so with `serve --cores N` or a fleet a replay to another process is refused too;
 * memory with SQLite, which one process writes): see store/signed-requests.ts.
 * Expired signatures are forgotten at most once a `sweepEveryMs`, by whichever process writes.
 */
import type { SignedRequests } from './store/signed-requests.js';

export interface ReplayGuard {
  /** true the first time `signature` is seen inside its window, false for a replay. */
  firstUse(signature: string, timestampMs: number, nowMs: number): Promise<boolean>;
}

export function createReplayGuard(
  store: SignedRequests,
  toleranceMs: number,
  sweepEveryMs = 60_000,
): ReplayGuard {
  let sweptAt = 0;
  return {
    async firstUse(signature, timestampMs, nowMs) {
      if (nowMs - sweptAt >= sweepEveryMs) {
        sweptAt = nowMs;
        await store.forgetSignatures(nowMs);
      }
      return store.acceptSignature(signature.toLowerCase(), timestampMs + toleranceMs);
    },
  };
}
