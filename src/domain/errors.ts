/**
 * One error base class with a stable string code. Codes survive process boundaries
 * (HTTP bodies, CLI exit codes); `instanceof` does not, so callers switch on `code`.
 * Codes map to HTTP status in src/server/middleware/error-handler.ts and to exit codes
 * in src/cli.ts, nowhere else.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PACKET_NOT_FOUND',
  'PACKET_NOT_ACTIVE',
  'PACKET_EXHAUSTED',
  'PACKET_EXPIRED',
  'ALREADY_CLAIMED',
  'IDEMPOTENCY_CONFLICT',
  'ORDER_NOT_FOUND',
  'INSUFFICIENT_BALANCE',
  'INVALID_SIGNATURE',
  'ILLEGAL_TRANSITION',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT', // issue 18: a client too slow to send its request (408, connection closed)
  'DEGRADED',
  'DEPENDENCY_FAILED',
  'NOT_IMPLEMENTED',
  'USAGE',
  'INTERNAL',
  // issue 3: B2C subsidies
  'SUBSIDY_INVALID',
  'SUBSIDY_NOT_OWNER',
  'SUBSIDY_EXPIRED',
  'SUBSIDY_USED',
  'SUBSIDY_CONFLICT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether a code read from outside (an HTTP answer) is one of ours. */
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && KNOWN_CODES.has(code);

export class RedpktError extends Error {
  override readonly name = 'RedpktError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  readonly details: Record<string, unknown> | undefined;
}

export function isRedpktError(e: unknown): e is RedpktError {
  return e instanceof RedpktError;
}

export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new RedpktError(code, message, details ? { details } : undefined);
};
