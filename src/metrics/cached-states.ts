import type { StateCounts } from '../switches/ports.js';

/**
 * Row counts are GROUP BY queries: run at most once per `maxAgeMs` however often (and however
 * many scrapers) scrape, with concurrent scrapes sharing one query. A failed read answers the last
 * counts (or none), never fails the scrape.
 */
export function createCachedStates(
  read: () => Promise<StateCounts>,
  maxAgeMs = 1000,
): () => Promise<StateCounts> {
  let last: StateCounts = {};
  let at = Number.NEGATIVE_INFINITY;
  let pending: Promise<StateCounts> | undefined;
  return () => {
    if (Date.now() - at < maxAgeMs) return Promise.resolve(last);
    pending ??= read()
      .then(
        (counts) => {
          last = counts;
          return counts;
        },
        () => last,
      )
      .finally(() => {
        at = Date.now();
        pending = undefined;
      });
    return pending;
  };
}
