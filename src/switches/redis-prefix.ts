import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { StoreConfig } from '../runtime/storage-config.js';
import { databaseOf } from '../runtime/storage-config.js';

/**
 * Redis keys and the change channel are namespaced by the database the switches live in (its
 * name on MySQL, whatever host alias an instance uses; the absolute file when embedded), so two
 * deployments or two test runs sharing one Redis never see each other's switches or counters.
 */
export function opsRedisPrefix(config: StoreConfig): string {
  const first = config.kind === 'mysql' ? config.urls[0] : undefined;
  const id =
    config.kind === 'mysql' ? `mysql:${first ? databaseOf(first) : ''}` : `sqlite:${resolve(config.file)}`;
  return `redpkt:ops:${createHash('sha256').update(id).digest('hex').slice(0, 12)}:`;
}
