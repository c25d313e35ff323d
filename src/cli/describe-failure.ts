/**
 * Issue 17: what a command's failure is, for the one line `redpkt` prints and its exit code.
 * Our own errors carry their code; an error from a driver or the network that says a store or a
 * service cannot be reached (refused, unknown host, unknown database, access denied, timed out) is
 * DEPENDENCY_FAILED, wherever it was thrown; anything else is a bug (INTERNAL, with its stack).
 */
import type { ErrorCode } from '../domain/errors.js';
import { isRedpktError } from '../domain/errors.js';

export interface Failure {
  code: ErrorCode;
  message: string;
  /** INTERNAL only: the stack, for the bug report. */
  stack?: string;
}

/** Node's network errors and the MySQL server's answers that mean "not reachable as given". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'PROTOCOL_CONNECTION_LOST',
  'ER_BAD_DB_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_NO_SUCH_TABLE',
  'SQLITE_CANTOPEN',
]);

interface Coded {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  sqlState?: unknown;
}

/** The first error in `e`, its causes and aggregated errors whose code says "unreachable". */
function unreachableIn(e: unknown, depth = 0): Coded | undefined {
  if (depth > 5 || typeof e !== 'object' || e === null) return undefined;
  const c = e as Coded;
  if (typeof c.code === 'string' && UNREACHABLE.has(c.code)) return c;
  if (Array.isArray(c.errors))
    for (const inner of c.errors) {
      const found = unreachableIn(inner, depth + 1);
      if (found) return found;
    }
  return unreachableIn(c.cause, depth + 1);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

const REFUSED_SECRET: ReadonlySet<ErrorCode> = new Set(['UNAUTHENTICATED', 'INVALID_SIGNATURE']);

export function describeFailure(e: unknown): Failure {
  if (isRedpktError(e)) {
    const hint =
      REFUSED_SECRET.has(e.code) && !/--secret/.test(e.message)
        ? ' (the target refused the secret: give its --secret, REDPKT_SECRET or --data-dir)'
        : '';
    return { code: e.code, message: `${e.message}${hint}` };
  }
  const cause = unreachableIn(e);
  if (cause) {
    const what = typeof cause.sqlState === 'string' || /^ER_/.test(String(cause.code)) ? 'MySQL: ' : '';
    const detail = messageOf(cause) || String(cause.code);
    const outer = messageOf(e);
    return {
      code: 'DEPENDENCY_FAILED',
      message: `cannot reach a store or service: ${what}${detail}${outer && outer !== detail ? ` (${outer})` : ''}`,
    };
  }
  return {
    code: 'INTERNAL',
    message: messageOf(e),
    ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}
