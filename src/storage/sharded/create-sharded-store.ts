/** Issue 6: opens one MySQL shard per `--mysql` URL and the sharded packet store over them. */
import { RedpktError } from '../../domain/errors.js';
import type { PacketStore } from '../../domain/ports.js';
import { openMysqlShard, type Shard } from './mysql-shard.js';
import { createShardedStore, type ShardedStoreOptions } from './sharded-store.js';
import { MAX_SHARDS } from './shard-routing.js';

/** Where a database is, whatever the credentials or options: two URLs naming one database are one shard. */
function databaseKey(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '3306'}${u.pathname}`;
}

/** The URLs in shard order: the list is fixed for the life of the data (see ./shard-routing.ts). */
export function assertShardUrls(urls: readonly string[]): void {
  if (urls.length > MAX_SHARDS) {
    throw new RedpktError('USAGE', `at most ${MAX_SHARDS} MySQL shards (packet ids carry two digits)`, {
      details: { urls: urls.length },
    });
  }
  const seen = new Set<string>();
  for (const url of urls) {
    const key = databaseKey(url);
    if (seen.has(key)) {
      throw new RedpktError('USAGE', `the MySQL database ${key} is given twice: each shard needs its own`, {
        details: { database: key },
      });
    }
    seen.add(key);
  }
}

export async function createShardedMysqlStore(
  urls: readonly string[],
  options: ShardedStoreOptions = {},
): Promise<PacketStore> {
  assertShardUrls(urls);
  const shards: Shard[] = [];
  try {
    for (const [index, url] of urls.entries()) shards.push(await openMysqlShard(index, url));
    // before any read or write: a database at another place in the list would misroute every key
    for (const shard of shards) await shard.checkIdentity(urls.length);
  } catch (e) {
    await Promise.all(shards.map((s) => s.close()));
    throw e;
  }
  return createShardedStore(shards, Date.now, options);
}
