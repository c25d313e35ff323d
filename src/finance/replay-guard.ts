/**
 * Issue 18: a signed write is accepted once. A signature is fresh for DEFAULT_TOLERANCE_MS either
 * side of its timestamp, so each accepted write's signature is remembered until its timestamp
 * leaves that window; the same signature again inside it (a captured `PUT /finance/admin/knobs`
 * replayed) is refused. One guard per finance app (one process): memory grows with the write rate
 * times the window, and expired signatures are swept at most once a second.
 */
export interface ReplayGuard {
  /** true the first time `signature` is seen inside its window, false for a replay. */
  firstUse(signature: string, timestampMs: number, nowMs: number): boolean;
  readonly size: number;
}

export function createReplayGuard(toleranceMs: number): ReplayGuard {
  const seen = new Map<string, number>(); // signature -> when it can no longer verify (ms)
  let sweptAt = 0;
  const sweep = (now: number) => {
    if (now - sweptAt < 1000) return;
    sweptAt = now;
    for (const [sig, until] of seen) if (until < now) seen.delete(sig);
  };
  return {
    firstUse(signature, timestampMs, nowMs) {
      sweep(nowMs);
      const key = signature.toLowerCase();
      if (seen.has(key)) return false;
      seen.set(key, timestampMs + toleranceMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
