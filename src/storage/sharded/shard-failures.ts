/**
 * Issue 6 (review): one shard failing must not fail the work of the healthy ones. A call that fans
 * out over the shards waits for every shard (never `Promise.all`, which rejects at the first
 * failure while the other shards' statements are still running, and drops what they committed),
 * then decides per call: a lookup answers from any shard that has the row, the worker's lease
 * keeps what the healthy shards leased, a claim group answers each shard's claimers for
 * themselves, and a read that needs every shard (a full list) fails. Every shard failure is
 * reported to a listener, which by default logs it, at most once per shard and call every 10 s,
 * with the number of failures since (a shard that is down fails every worker poll).
 */
import { asDependencyFailure } from '../shared/db-errors.js';

export interface ShardFailure {
  /** The shard's index in the URL list. */
  shard: number;
  shards: number;
  /** What was asked, e.g. `leaseTasks`, `claimSharesMany`, `find payment`. */
  operation: string;
  error: unknown;
}

export type ShardFailureListener = (failure: ShardFailure) => void;

export const SHARD_FAILURE_LOG_EVERY_MS = 10_000;

/** Logs shard failures: the first one of a (shard, operation) at once, then a count every `everyMs`. */
export function logShardFailures(
  log: (msg: string, err: unknown) => void = (msg, err) => console.error(msg, err),
  everyMs = SHARD_FAILURE_LOG_EVERY_MS,
  now: () => number = Date.now,
): ShardFailureListener {
  const last = new Map<string, { at: number; unlogged: number }>();
  return ({ shard, shards, operation, error }) => {
    const key = `${shard}:${operation}`;
    const seen = last.get(key);
    const at = now();
    if (seen && at - seen.at < everyMs) {
      seen.unlogged++;
      return;
    }
    const more =
      seen && seen.unlogged > 0 ? ` (and ${seen.unlogged} more failures since the last report)` : '';
    last.set(key, { at, unlogged: 0 });
    log(`shard ${shard + 1} of ${shards} failed ${operation}${more}`, error);
  };
}

/** What one shard answered, or its failure (reported already). */
export type ShardAnswer<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `work` on every shard and waits for all of them; a failure is reported to `onFailure` and
 * returned in its place, never thrown.
 */
export async function askEveryShard<S extends { index: number }, T>(
  shards: readonly S[],
  operation: string,
  onFailure: ShardFailureListener,
  work: (shard: S, position: number) => Promise<T>,
): Promise<ShardAnswer<T>[]> {
  // async: a synchronous throw is a failure of that shard too
  const settled = await Promise.allSettled(shards.map(async (s, i) => work(s, i)));
  return settled.map((answer, i) => {
    if (answer.status === 'fulfilled') return { ok: true, value: answer.value };
    onFailure({ shard: shards[i]?.index ?? i, shards: shards.length, operation, error: answer.reason });
    return { ok: false, error: answer.reason };
  });
}

/** The error to throw for a shard that failed: a connection failure becomes DEPENDENCY_FAILED. */
export function shardError(shard: number, shards: number, operation: string, error: unknown): unknown {
  return asDependencyFailure(error, `shard ${shard + 1} of ${shards} (${operation})`);
}

/** Every shard's answer, for reads that are wrong without one of them (a full list); else throws. */
export async function fromEveryShard<S extends { index: number }, T>(
  shards: readonly S[],
  operation: string,
  onFailure: ShardFailureListener,
  work: (shard: S) => Promise<T>,
): Promise<T[]> {
  const answers = await askEveryShard(shards, operation, onFailure, work);
  return answers.map((answer, i) => {
    if (answer.ok) return answer.value;
    throw shardError(shards[i]?.index ?? i, shards.length, operation, answer.error);
  });
}
