/** The gateway's own answers, in the service's error shape: `{error:{code,message,retryAfterMs?}}`. */
import type { ErrorCode } from '../domain/errors.js';
import { httpStatusFor } from '../server/error-status.js';

export function errorAnswer(code: ErrorCode, message: string, retryAfterMs?: number): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const error: { code: ErrorCode; message: string; retryAfterMs?: number } = { code, message };
  if (retryAfterMs !== undefined) {
    error.retryAfterMs = retryAfterMs;
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
  return new Response(JSON.stringify({ error }), { status: httpStatusFor(code), headers });
}
