/**
 * A FIFO async mutex. SQLite allows one writer at a time; queueing write transactions
 * in process turns "database is locked" errors into a short wait.
 */
export interface Mutex {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      // The next waiter starts when this one settles, whatever the outcome.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
