/**
 * The per-endpoint limiter at the gateway (`redpkt limit set claim 5000`): at most N requests per
 * second to one endpoint, over the cluster with Redis (src/cache/lua/endpoint-limit-1.lua), in this
 * process otherwise (./memory-endpoint-limiter.ts, the same arithmetic). The limit itself comes
 * from the switch board on every request (memory), so a change applies at once.
 */
export type EndpointDecision = { kind: 'admitted' } | { kind: 'limited'; retryAfterMs: number };

export interface EndpointLimiter {
  admit(endpoint: string, perWindow: number): Promise<EndpointDecision>;
  /** Requests the in-process twin decided because the shared counter could not be asked (Redis down). */
  bypassed(): number;
  close(): Promise<void>;
}

/** Requests per second: one window is one second. */
export const ENDPOINT_WINDOW_MS = 1000;

/**
 * The sliding-window estimate shared by both twins: prev * (1 - elapsed) + cur. Returns the
 * decision and the counts to store.
 */
export function slidingWindow(
  counter: { w: number; cur: number; prev: number } | undefined,
  limit: number,
  windowMs: number,
  now: number,
): { w: number; cur: number; prev: number; decision: EndpointDecision } {
  const index = Math.floor(now / windowMs);
  let cur = 0;
  let prev = 0;
  if (counter?.w === index) ({ cur, prev } = counter);
  else if (counter?.w === index - 1) prev = counter.cur;
  const elapsed = (now % windowMs) / windowMs;
  const estimate = prev * (1 - elapsed) + cur;
  if (estimate + 1 <= limit) return { w: index, cur: cur + 1, prev, decision: { kind: 'admitted' } };
  const wait =
    prev > 0 && cur + 1 <= limit
      ? (1 - (limit - 1 - cur) / prev - elapsed) * windowMs
      : (1 - elapsed) * windowMs;
  return { w: index, cur, prev, decision: { kind: 'limited', retryAfterMs: Math.max(1, Math.ceil(wait)) } };
}
