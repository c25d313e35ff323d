/**
 * Issue 24: the packet store as the service process sees it in the simulation: the real SQLite
 * store behind a gate (so store calls of concurrent requests and tasks interleave by the seed),
 * faults before and after commit, and a crash: once the process is dead its calls fail at once.
 */
import { RedpktError } from '../../src/domain/errors.js';
import type { PacketStore } from '../../src/domain/ports.js';
import type { Faults } from './faults.js';
import { CrashError, type Kernel, type Life } from './kernel.js';

const UNGATED = new Set(['migrate', 'close', 'packetShard']);

export function gatedStore(store: PacketStore, k: Kernel, faults: Faults, life: Life): PacketStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || UNGATED.has(prop)) return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await k.gate(`store.${prop}`, life);
        if (faults.fire('store_before_commit')) {
          k.trace(`fault store_before_commit ${prop}`);
          throw new RedpktError('DEPENDENCY_FAILED', `sim: store ${prop} failed before commit`);
        }
        const result = await fn.apply(target, args);
        if (life.dead) throw new CrashError(`store.${prop} answered`);
        // the answer travels back: a crash here is a crash after commit, before the caller knew
        await k.gate(`store.${prop}.answer`, life);
        if (faults.fire('store_after_commit')) {
          k.trace(`fault store_after_commit ${prop}`);
          throw new RedpktError('DEPENDENCY_FAILED', `sim: store ${prop} failed after commit`);
        }
        return result;
      };
    },
  });
}
