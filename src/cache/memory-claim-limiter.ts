import type { ClaimLimiter, LimitDecision, LimiterSettings } from './claim-limiter.js';
import { DEFAULT_LIMITER_SETTINGS } from './claim-limiter.js';

interface Entry {
  remaining: number;
  windowEndsAt: number;
  attempts: number;
  /** The current window's limit, from the remaining count when it opened. */
  limit: number;
  /** The insertion count when this entry was last put at the young end of the map (-Infinity: not yet). */
  placedAt: number;
}

/**
 * The in-process twin of claim-limit-3.lua for the embedded mode. Bounded: beyond `maxPackets`
 * the least recently touched packet is forgotten (a forgotten packet is "unknown" and admitted,
 * exactly as with an expired Redis key), so memory stays flat however many packets pass.
 */
export function createMemoryClaimLimiter(
  settings: LimiterSettings = DEFAULT_LIMITER_SETTINGS,
  opts: { now?: () => number; maxPackets?: number } = {},
): ClaimLimiter {
  const now = opts.now ?? Date.now;
  const maxPackets = opts.maxPackets ?? 100_000;
  // A Map iterates in insertion order: re-inserting on touch makes the first key the oldest.
  // A touch re-inserts only an entry placed more than half the bound ago (a delete and a set on
  // every claim of a hot packet, twice a claim, was a visible part of the claim path): an entry
  // touched within the last maxPackets/2 placements is still never the one forgotten.
  const entries = new Map<string, Entry>();
  let placements = 0;
  const halfBound = Math.max(1, Math.floor(maxPackets / 2));

  function touch(packetId: string, entry: Entry): void {
    if (placements - entry.placedAt < halfBound) return;
    entries.delete(packetId);
    entry.placedAt = ++placements;
    entries.set(packetId, entry);
    if (entries.size > maxPackets) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  }

  return {
    async admit(packetId): Promise<LimitDecision> {
      const entry = entries.get(packetId);
      if (!entry) return { kind: 'admitted' };
      if (entry.remaining <= 0) return { kind: 'exhausted' };
      const t = now();
      if (t >= entry.windowEndsAt) {
        entry.windowEndsAt = t + settings.windowMs;
        entry.attempts = 0;
        entry.limit = Math.ceil(entry.remaining * settings.factor);
      }
      entry.attempts++;
      touch(packetId, entry);
      if (entry.attempts > entry.limit) {
        return { kind: 'limited', retryAfterMs: Math.max(1, entry.windowEndsAt - t) };
      }
      return { kind: 'admitted' };
    },
    async setRemaining(packetId, remainingCount) {
      const entry = entries.get(packetId);
      if (entry) {
        // Answers of concurrent claims arrive out of order; the count only ever goes down.
        entry.remaining = Math.min(entry.remaining, remainingCount);
        touch(packetId, entry);
      } else {
        touch(packetId, {
          remaining: remainingCount,
          windowEndsAt: 0,
          attempts: 0,
          limit: 0,
          placedAt: -Infinity,
        });
      }
    },
    bypassed: () => 0,
    async close() {
      entries.clear();
    },
  };
}
