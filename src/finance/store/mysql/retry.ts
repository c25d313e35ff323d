/**
 * Retries a MySQL transaction that lost a lock race. InnoDB resolves deadlocks by rolling one
 * transaction back; two transactions inserting the same new order number make the loser fail with a
 * duplicate key after the winner commits. In both cases the whole transaction is safe to run again:
 * the retry sees the winner's committed rows and takes the idempotent path.
 */
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY']);
const RETRYABLE_ERRNO = new Set([1213, 1205, 1062]);

export function isRetryableMysqlError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (typeof cur !== 'object') return false;
    const { code, errno, cause } = cur as { code?: unknown; errno?: unknown; cause?: unknown };
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
    if (typeof errno === 'number' && RETRYABLE_ERRNO.has(errno)) return true;
    cur = cause;
  }
  return false;
}

export async function withRetry<T>(fn: () => Promise<T>, attempts = 8, baseDelayMs = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !isRetryableMysqlError(e)) throw e;
      // Jittered exponential backoff so the losers do not collide again in lockstep.
      const delay = baseDelayMs * 2 ** Math.min(attempt, 6) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
