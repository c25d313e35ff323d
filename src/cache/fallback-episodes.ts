/**
 * Issue 19: when a shared (Redis) limiter cannot be asked, its in-process twin decides instead,
 * never "no limit". This counts those decisions and turns them into episodes: one call of
 * `onStart` when the first decision falls back, one of `onEnd` (with how many fell back and for
 * how long) when Redis answers again, so an outage is one log line each way, not one per request.
 */
export interface FallbackEpisodes {
  /** A decision the in-process twin made because the shared limiter failed with `error`. */
  fellBack(error: unknown): void;
  /** The shared limiter answered: an episode in progress ends. */
  answered(): void;
  /** Decisions that fell back, since start (the `redpkt_limiter_bypassed` metric). */
  count(): number;
  /** Whether an episode is in progress (the last decision fell back). */
  active(): boolean;
}

export interface FallbackEpisodeOptions {
  onStart?: (error: unknown) => void;
  onEnd?: (episode: { decisions: number; ms: number }) => void;
  now?: () => number;
}

export function createFallbackEpisodes(opts: FallbackEpisodeOptions = {}): FallbackEpisodes {
  const now = opts.now ?? Date.now;
  let total = 0;
  let episode: { since: number; decisions: number } | undefined;
  return {
    fellBack(error) {
      total++;
      if (episode) {
        episode.decisions++;
        return;
      }
      episode = { since: now(), decisions: 1 };
      opts.onStart?.(error);
    },
    answered() {
      if (!episode) return;
      const ended = episode;
      episode = undefined;
      opts.onEnd?.({ decisions: ended.decisions, ms: now() - ended.since });
    },
    count: () => total,
    active: () => episode !== undefined,
  };
}

/** The error a limiter reports when it does not even try a connection that is not up. */
export function notConnected(status: string): Error {
  const e = new Error(`Redis connection is ${status}`);
  e.stack = `Error: ${e.message}`; // where it was made says nothing
  return e;
}

/** Fallback episodes of a Redis limiter, each logged once as it starts and once as it ends. */
export function loggedEpisodes(
  limiter: string,
  what: string,
  log: (msg: string, err: unknown) => void,
): FallbackEpisodes {
  return createFallbackEpisodes({
    onStart: (e) =>
      log(`${limiter}: Redis cannot be asked; ${what} are limited in process until it answers`, e),
    onEnd: (episode) =>
      log(`${limiter}: Redis answers again; the shared limit is back`, {
        limitedInProcess: episode.decisions,
        forMs: episode.ms,
      }),
  });
}
