import type { EndpointLimiter } from './endpoint-limiter.js';
import { ENDPOINT_WINDOW_MS, slidingWindow } from './endpoint-limiter.js';

/**
 * The in-process twin of endpoint-limit-1.lua for the embedded mode (one process: the limit is
 * this instance's). Bounded by the number of endpoints, so memory stays flat.
 */
export function createMemoryEndpointLimiter(
  opts: { windowMs?: number; now?: () => number } = {},
): EndpointLimiter {
  const windowMs = opts.windowMs ?? ENDPOINT_WINDOW_MS;
  const now = opts.now ?? Date.now;
  const counters = new Map<string, { w: number; cur: number; prev: number }>();
  return {
    async admit(endpoint, perWindow) {
      const { decision, ...counter } = slidingWindow(counters.get(endpoint), perWindow, windowMs, now());
      counters.set(endpoint, counter);
      return decision;
    },
    bypassed: () => 0,
    async close() {
      counters.clear();
    },
  };
}
