/**
 * Which grant queue a deployment uses (DESIGN §2, §4): the Redis stream when `--redis` is given,
 * otherwise the embedded one, a table in its own SQLite file `<data-dir>/queue.db`. The queue is
 * infrastructure: neither finance's database nor the packet service's holds it. `--mysql` without
 * `--redis` keeps the embedded queue, so processes sharing it must share the data dir (one host);
 * a multi-host deployment gives every process `--redis`.
 */
import { join } from 'node:path';
import type { GrantQueue } from '../domain/ports.js';
import { createRedisGrantQueue } from './redis-grant-queue.js';
import { createSqliteGrantQueue } from './sqlite-grant-queue.js';

export type GrantQueueConfig =
  | { kind: 'sqlite'; file: string; visibilityMs?: number }
  | { kind: 'redis'; url: string; keyPrefix?: string; visibilityMs?: number };

export interface GrantQueueTuning {
  /** Redis only: the key prefix (tests use a random one per run). */
  keyPrefix?: string | undefined;
  visibilityMs?: number | undefined;
}

/** `lane: 'shadow'` (issue 5): the shadow lane's own queue, `queue.shadow.db` or `<prefix>shadow:`. */
export function grantQueueConfig(
  dataDir: string,
  redisUrl: string | undefined,
  tuning: GrantQueueTuning = {},
  lane?: 'shadow',
): GrantQueueConfig {
  const visibility = tuning.visibilityMs === undefined ? {} : { visibilityMs: tuning.visibilityMs };
  if (!redisUrl) {
    return { kind: 'sqlite', file: join(dataDir, lane ? 'queue.shadow.db' : 'queue.db'), ...visibility };
  }
  const prefix = tuning.keyPrefix ?? (lane ? 'redpkt:' : undefined);
  return {
    kind: 'redis',
    url: redisUrl,
    ...visibility,
    ...(prefix ? { keyPrefix: lane ? `${prefix}${lane}:` : prefix } : {}),
  };
}

export function createGrantQueue(config: GrantQueueConfig): Promise<GrantQueue> {
  return config.kind === 'redis' ? createRedisGrantQueue(config) : createSqliteGrantQueue(config);
}
