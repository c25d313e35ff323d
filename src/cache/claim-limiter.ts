/**
 * The per-packet claim limiter at the gateway (DESIGN §3 step 1): at most
 * ceil(remaining_count * factor) claim attempts per packet pass per window; the rest are told to
 * retry later. Two twins: Redis (one Lua script, cluster-wide) and in process (embedded, and
 * the Redis one's stand-in while Redis cannot be asked).
 */
export type LimitDecision =
  | { kind: 'admitted' }
  | { kind: 'limited'; retryAfterMs: number }
  /**
   * The limiter knows the packet has nothing left. Not a refusal: callers still pass the claim on,
   * because only the database knows whether this claimer already holds one of its shares (a retry
   * after a lost answer gets its claim back, not PACKET_EXHAUSTED).
   */
  | { kind: 'exhausted' };

export interface ClaimLimiter {
  admit(packetId: string): Promise<LimitDecision>;
  /** Keeps the count the limit is computed from current: after activation and after every claim. */
  setRemaining(packetId: string, remainingCount: number): Promise<void>;
  /**
   * How many claims the in-process twin decided because the shared limiter (Redis) could not be
   * asked; 0 for the in-process limiter itself. Never "let through unlimited" (issue 19).
   */
  bypassed(): number;
  close(): Promise<void>;
}

export interface LimiterSettings {
  /** Attempts allowed per window, as a multiple of the remaining count. */
  factor: number;
  windowMs: number;
}

export const DEFAULT_LIMITER_SETTINGS: LimiterSettings = { factor: 1.5, windowMs: 100 };
