/**
 * Issue 24: time as a port. Production reads the system clock and its timers; the deterministic
 * simulation (sim/) passes a clock whose time only moves when the simulator moves it, and whose
 * timers fire in due order when it does. Everything that takes a `now: () => number` can be given
 * `clock.now`.
 */
export type TimerHandle = { readonly __timer: unique symbol } | NodeJS.Timeout | number;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now (on this clock's time). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/** Waits `ms` on the clock, or until `signal` aborts (at once if it already has). */
export function pauseOn(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = clock.setTimeout(done, ms);
    function done() {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
