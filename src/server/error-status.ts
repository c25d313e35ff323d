import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../domain/errors.js';

/** Error code -> HTTP status, in one place (STYLE rule 4). */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  USAGE: 400,
  UNAUTHENTICATED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PACKET_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  PACKET_NOT_ACTIVE: 409,
  PACKET_EXHAUSTED: 409,
  ALREADY_CLAIMED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  INSUFFICIENT_BALANCE: 409,
  PACKET_EXPIRED: 410,
  REQUEST_TIMEOUT: 408,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  DEGRADED: 503,
  DEPENDENCY_FAILED: 503,
  // issue 3: a tampered or unreadable token; someone else's; past its expiry; already spent on a
  // packet; a grant already booked for another uid or token
  SUBSIDY_INVALID: 400,
  SUBSIDY_NOT_OWNER: 403,
  SUBSIDY_EXPIRED: 410,
  SUBSIDY_USED: 409,
  SUBSIDY_CONFLICT: 409,
};

export function httpStatusFor(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** The reverse, for clients reading another service's answer without a code. */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 400) return 'VALIDATION_FAILED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'DEPENDENCY_FAILED';
  return 'INTERNAL';
}
