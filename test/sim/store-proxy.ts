/**
 * Issue 24: a store as the service process sees it in the simulation: the real SQLite store (the
 * packet store, or the switch store beside it in the same file) behind a gate, so store calls of
 * concurrent requests and tasks interleave by the seed; faults before and after commit; and a
 * crash: once the process is dead its calls fail at once.
 *
 * `serial`: one queue for every call into the file, whichever store makes it. The packet store holds
 * SQLite's write lock across the awaits of a transaction; the switch store's own connection, meeting
 * that lock, would retry after a real-time pause (src/storage/switches/sqlite-switch-store.ts), and
 * real time has no place in a replay. Queued, no call meets another's lock.
 */
import { RedpktError } from '../../src/domain/errors.js';
import type { WriteQueue } from '../../src/storage/shared/write-queue.js';
import type { Faults } from './faults.js';
import { CrashError, type Kernel, type Life } from './kernel.js';

const UNGATED = new Set(['migrate', 'close', 'packetShard']);

export interface GateOptions {
  /** The gates' label prefix (default `store`). */
  name?: string;
  /** Methods called straight through, as well as migrate, close and packetShard. */
  ungated?: readonly string[];
  serial?: WriteQueue;
}

export function gatedStore<S extends object>(
  store: S,
  k: Kernel,
  faults: Faults,
  life: Life | null,
  opts: GateOptions = {},
): S {
  const name = opts.name ?? 'store';
  const ungated = new Set([...UNGATED, ...(opts.ungated ?? [])]);
  const dead = () => life?.dead === true;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || ungated.has(prop)) return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      const call = (args: unknown[]) => fn.apply(target, args);
      return async (...args: unknown[]) => {
        await k.gate(`${name}.${prop}`, life);
        if (faults.fire('store_before_commit')) {
          k.trace(`fault store_before_commit ${name}.${prop}`);
          throw new RedpktError('DEPENDENCY_FAILED', `sim: ${name} ${prop} failed before commit`);
        }
        const result = await (opts.serial ? opts.serial.run(() => call(args)) : call(args));
        if (dead()) throw new CrashError(`${name}.${prop} answered`);
        // the answer travels back: a crash here is a crash after commit, before the caller knew
        await k.gate(`${name}.${prop}.answer`, life);
        if (faults.fire('store_after_commit')) {
          k.trace(`fault store_after_commit ${name}.${prop}`);
          throw new RedpktError('DEPENDENCY_FAILED', `sim: ${name} ${prop} failed after commit`);
        }
        return result;
      };
    },
  });
}
