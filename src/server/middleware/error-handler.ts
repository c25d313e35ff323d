import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRedpktError } from '../../domain/errors.js';
import type { ErrorCode } from '../../domain/errors.js';
import { isMysqlConnectionFailure } from '../../storage/shared/db-errors.js';
import { httpStatusFor } from '../error-status.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; retryAfterMs?: number; details?: Record<string, unknown> };
}

/** What a refused request's log line says (observe.ts): the code, why, and which dependency failed. */
export interface Refusal {
  code: ErrorCode;
  reason: string;
  dependency?: string;
}

const REFUSAL = 'refusal' as never;

export const refusalOf = (c: Context): Refusal | undefined => c.get(REFUSAL) as Refusal | undefined;

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
) {
  // `dependency` is for the log (issue 17 item 6), not the client
  const { retryAfterMs, dependency, ...rest } = details ?? {};
  const refusal: Refusal = { code, reason: message };
  if (typeof dependency === 'string') refusal.dependency = dependency;
  c.set(REFUSAL, refusal as never);
  const body: ErrorBody = { error: { code, message } };
  // Rate limits and degradations say when to come back, in the body and as Retry-After.
  if (typeof retryAfterMs === 'number') {
    body.error.retryAfterMs = retryAfterMs;
    c.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
  if (Object.keys(rest).length > 0) body.error.details = rest;
  return c.json(body, httpStatusFor(code));
}

/** Every error leaves as `{error:{code,message}}`; only a bug is a 500, and it is logged. */
export function createErrorHandler(log: (msg: string, err: unknown) => void): ErrorHandler {
  return (err, c) => {
    if (isRedpktError(err)) {
      const cause =
        err.cause instanceof Error && err.code === 'DEPENDENCY_FAILED' ? err.cause.message : undefined;
      const res = errorResponse(c, err.code, err.message, err.details);
      const refusal = refusalOf(c);
      if (refusal && cause && !refusal.reason.includes(cause))
        refusal.reason = `${refusal.reason} (${cause})`;
      return res;
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      if (status === 413) {
        // Issue 18: the rest of that body is never read, so the connection cannot carry another
        // request: say so, and Node closes it after this answer (no EPIPE for a pooled client).
        c.header('connection', 'close');
        return errorResponse(c, 'VALIDATION_FAILED', 'request body too large');
      }
      if (status === 401) return errorResponse(c, 'UNAUTHENTICATED', err.message || 'unauthenticated');
      if (status < 500) return errorResponse(c, 'VALIDATION_FAILED', err.message || 'bad request');
    }
    // a database that cannot be reached (any read or write, ours or finance's): retry, not a bug
    if (isMysqlConnectionFailure(err)) {
      log('database unreachable', err);
      const reason = err instanceof Error ? err.message : String(err);
      const res = errorResponse(c, 'DEPENDENCY_FAILED', 'the database could not be reached; try again', {
        dependency: 'database',
      });
      const refusal = refusalOf(c);
      if (refusal) refusal.reason = `${refusal.reason} (${reason})`;
      return res;
    }
    log('unhandled error', err);
    return errorResponse(c, 'INTERNAL', 'internal error');
  };
}

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
