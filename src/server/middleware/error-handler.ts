import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRedpktError } from '../../domain/errors.js';
import type { ErrorCode } from '../../domain/errors.js';
import { isMysqlConnectionFailure } from '../../storage/shared/db-errors.js';
import { httpStatusFor } from '../error-status.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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

/**
 * What an error answers, apart from how it is sent: Hono's context (`errorResponse`, the error
 * handler) or the claim's fast path on Node's response (src/server/claim-fast-path.ts).
 */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
  /** Besides content-type: `retry-after`, `connection: close`. */
  headers: Record<string, string>;
  refusal: Refusal;
}

export function errorAnswer(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ErrorAnswer {
  // `dependency` is for the log (issue 17 item 6), not the client
  const { retryAfterMs, dependency, ...rest } = details ?? {};
  const refusal: Refusal = { code, reason: message };
  if (typeof dependency === 'string') refusal.dependency = dependency;
  const body: ErrorBody = { error: { code, message } };
  const headers: Record<string, string> = {};
  // Rate limits and degradations say when to come back, in the body and as Retry-After.
  if (typeof retryAfterMs === 'number') {
    body.error.retryAfterMs = retryAfterMs;
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
  if (Object.keys(rest).length > 0) body.error.details = rest;
  return { status: httpStatusFor(code), body, headers, refusal };
}

/** Every error leaves as `{error:{code,message}}`; only a bug is a 500, and it is logged. */
export function answerError(err: unknown, log: (msg: string, err: unknown) => void): ErrorAnswer {
  if (isRedpktError(err)) {
    const cause =
      err.cause instanceof Error && err.code === 'DEPENDENCY_FAILED' ? err.cause.message : undefined;
    const answer = errorAnswer(err.code, err.message, err.details);
    if (cause && !answer.refusal.reason.includes(cause))
      answer.refusal.reason = `${answer.refusal.reason} (${cause})`;
    return answer;
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) {
      // Issue 18: the rest of that body is never read, so the connection cannot carry another
      // request: say so, and Node closes it after this answer (no EPIPE for a pooled client).
      const answer = errorAnswer('VALIDATION_FAILED', 'request body too large');
      answer.headers.connection = 'close';
      return answer;
    }
    if (status === 401) return errorAnswer('UNAUTHENTICATED', err.message || 'unauthenticated');
    if (status < 500) return errorAnswer('VALIDATION_FAILED', err.message || 'bad request');
  }
  // a database that cannot be reached (any read or write, ours or finance's): retry, not a bug
  if (isMysqlConnectionFailure(err)) {
    log('database unreachable', err);
    const reason = err instanceof Error ? err.message : String(err);
    const answer = errorAnswer('DEPENDENCY_FAILED', 'the database could not be reached; try again', {
      dependency: 'database',
    });
    answer.refusal.reason = `${answer.refusal.reason} (${reason})`;
    return answer;
  }
  log('unhandled error', err);
  return errorAnswer('INTERNAL', 'internal error');
}

function respond(c: Context, answer: ErrorAnswer) {
  c.set(REFUSAL, answer.refusal as never);
  for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
  return c.json(answer.body, answer.status);
}

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
) {
  return respond(c, errorAnswer(code, message, details));
}

export function createErrorHandler(log: (msg: string, err: unknown) => void): ErrorHandler {
  return (err, c) => respond(c, answerError(err, log));
}

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
