/**
 * What the switch commands drive: the admin API of a running instance (./http-control.ts), or
 * the database directly (here). Both answer with the same shapes.
 */
import { Redis } from 'ioredis';
import { RedpktError } from '../../domain/errors.js';
import type { StoreConfig } from '../../runtime/storage-config.js';
import { createSwitchStore } from '../../storage/switches/create-switch-store.js';
import type { SwitchKind } from '../catalog.js';
import type { AuditEntry, SwitchChangeResult } from '../ports.js';
import { createRedisSwitchBus } from '../redis-switch-bus.js';
import type { SwitchView } from '../switch-board.js';
import { createSwitchBoard } from '../switch-board.js';
import { opsRedisPrefix } from '../redis-prefix.js';

export interface SetRequest {
  kind: SwitchKind;
  name: string;
  value: number;
  reason: string | null;
  actor: string;
}

export interface SwitchControl {
  /** Where the switches live, for messages: a URL or a database. */
  where: string;
  list(): Promise<SwitchView[]>;
  set(request: SetRequest): Promise<{ change: SwitchChangeResult; switch: SwitchView | undefined }>;
  audit(query: { limit: number; kind?: SwitchKind }): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

const unreachable = (where: string, e: unknown) =>
  new RedpktError(
    'DEPENDENCY_FAILED',
    `cannot reach the switch store at ${where}: ${e instanceof Error ? e.message : String(e)}`,
    { cause: e },
  );

/**
 * Straight in the service's database. With Redis the running instances are told at once;
 * without, they pick the change up on their next poll (500 ms by default).
 */
export async function createDirectControl(
  storeConfig: StoreConfig,
  redisUrl?: string,
): Promise<SwitchControl> {
  const where = storeConfig.kind === 'sqlite' ? storeConfig.file : redactUrl(storeConfig.urls[0] ?? '');
  const store = await createSwitchStore(storeConfig, { mustExist: true }).catch((e: unknown) => {
    if (e instanceof RedpktError) throw e;
    throw unreachable(where, e);
  });
  let publisher: Redis | undefined;
  try {
    await store.migrate();
    if (redisUrl) {
      publisher = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      publisher.on('error', () => {});
    }
    const board = await createSwitchBoard({
      store,
      pollMs: 0,
      bus: publisher
        ? createRedisSwitchBus({ publisher, channel: `${opsRedisPrefix(storeConfig)}switches` })
        : undefined,
      log: (msg, err) =>
        process.stderr.write(`redpkt: ${msg}: ${err instanceof Error ? err.message : String(err)}\n`),
    });
    return {
      where,
      list: async () => (await board.refresh(), board.list()),
      async set(request) {
        const change = await board.set({ ...request, via: 'direct' });
        return {
          change,
          switch: board.list().find((s) => s.kind === request.kind && s.name === request.name),
        };
      },
      audit: (query) => store.listAudit(query),
      async close() {
        await board.close();
        publisher?.disconnect();
        await store.close();
      },
    };
  } catch (e) {
    publisher?.disconnect();
    await store.close();
    if (e instanceof RedpktError) throw e;
    throw unreachable(where, e);
  }
}

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
