/**
 * Recognizing driver errors. drizzle wraps driver errors (DrizzleQueryError with `cause`), so
 * every check walks the cause chain.
 */
import { RedpktError, isRedpktError } from '../../domain/errors.js';

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

/** Socket-level codes: the server could not be reached or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);
/** Server errors that say the server or this connection is going away, not that the SQL is wrong. */
const CONNECTION_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED (MariaDB)
]);
/** mysql2's own pool errors (no code): the pool is closed or cannot queue another request. */
const POOL_MESSAGES = new Set(['Pool is closed.', 'Queue limit reached.', 'No connections available.']);

/**
 * true when `error` says the database could not be reached or the connection broke (mysql2 marks
 * those `fatal`), as opposed to a statement the server refused. Walks the cause chain.
 */
export function isMysqlConnectionFailure(error: unknown): boolean {
  return someCause(
    error,
    (e) =>
      e['fatal'] === true ||
      (typeof e['code'] === 'string' && NETWORK_CODES.has(e['code'])) ||
      (typeof e['errno'] === 'number' && CONNECTION_ERRNOS.has(e['errno'])) ||
      (e instanceof Error && POOL_MESSAGES.has(e.message)),
  );
}

/** A connection failure as `DEPENDENCY_FAILED` (the caller may retry); anything else unchanged. */
export function asDependencyFailure(error: unknown, what: string): unknown {
  if (isRedpktError(error) || !isMysqlConnectionFailure(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RedpktError('DEPENDENCY_FAILED', `${what}: the database could not be reached (${reason})`, {
    cause: error,
    details: { dependency: 'database' },
  });
}
