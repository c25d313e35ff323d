/**
 * Issue 4: what a task handler tells the worker. Handlers are idempotent: running one twice, or
 * after a crash half way, never moves money twice (every provider call is idempotent by its order
 * number and every store step refuses to go backwards).
 */
import { isRedpktError, type ErrorCode } from '../../domain/errors.js';

export type TaskOutcome =
  /** The order reached a final state (or there is nothing left to do): the task is done. */
  | { kind: 'done' }
  /** Try again: at `at`, or after the worker's backoff when `at` is not given. */
  | { kind: 'retry'; reason: string; at?: number }
  /** Retrying cannot help (a conflict, a dangling reference): the task dies and the sweeper alerts. */
  | { kind: 'dead'; reason: string };

export const DONE: TaskOutcome = { kind: 'done' };

export const retry = (reason: string, at?: number): TaskOutcome =>
  at === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, at };

export const dead = (reason: string): TaskOutcome => ({ kind: 'dead', reason });

/** Errors that no retry can fix: the task dies and the sweeper raises the order's alert. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set(['IDEMPOTENCY_CONFLICT', 'VALIDATION_FAILED']);

export const isPermanent = (error: unknown): boolean => isRedpktError(error) && PERMANENT.has(error.code);

/** How a task that threw ends: dead for a permanent error, retried for anything else. */
export function outcomeOf(error: unknown): TaskOutcome {
  const reason = isRedpktError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  return isPermanent(error) ? dead(reason) : retry(reason);
}
