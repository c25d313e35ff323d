/**
 * Recognizing driver errors. drizzle wraps driver errors (DrizzleQueryError with `cause`), so
 * every check walks the cause chain.
 */

function* causes(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    current = record['cause'];
  }
}

function someCause(error: unknown, test: (e: Record<string, unknown>) => boolean): boolean {
  for (const e of causes(error)) if (test(e)) return true;
  return false;
}

/** SQLite/libsql: SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  return someCause(error, (e) => {
    const codes = [e['extendedCode'], e['code']];
    return codes.some((c) => c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY');
  });
}

export const MYSQL_DUPLICATE_KEY = 1062;
export const MYSQL_LOCK_WAIT_TIMEOUT = 1205;
export const MYSQL_DEADLOCK = 1213;

export function isMysqlUniqueViolation(error: unknown): boolean {
  return someCause(error, (e) => e['errno'] === MYSQL_DUPLICATE_KEY || e['code'] === 'ER_DUP_ENTRY');
}

/** Errors after which InnoDB has rolled back (or may safely be rolled back) and a retry can succeed. */
export function isMysqlRetryable(error: unknown): boolean {
  return someCause(
    error,
    (e) =>
      e['errno'] === MYSQL_DEADLOCK ||
      e['errno'] === MYSQL_LOCK_WAIT_TIMEOUT ||
      e['code'] === 'ER_LOCK_DEADLOCK' ||
      e['code'] === 'ER_LOCK_WAIT_TIMEOUT',
  );
}
