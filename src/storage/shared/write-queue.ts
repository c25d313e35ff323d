/**
 * An in-process FIFO for write transactions: one runs at a time, the next starts when the last
 * settles (whether it resolved or threw). SQLite allows one writer per database; queueing here
 * instead of in SQLite's busy handler means concurrent callers in one process never see
 * SQLITE_BUSY and are served in arrival order.
 */
export interface WriteQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void>;
}

export function createWriteQueue(): WriteQueue {
  let tail: Promise<void> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const result = tail.then(work);
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    idle() {
      return tail;
    },
  };
}
