/**
 * Issue 18: the `serve` flags of the HTTP edge: how long a client may take to send its headers and
 * its whole request (answered 408 and closed), and the longest bearer-token lifetime accepted.
 */
import { z } from 'zod';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC } from '../auth/tokens.js';

/** Node's own defaults are 60 s for headers and 300 s for a request; a trickling client held a socket that long. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const HttpFlagsShape = {
  headersTimeoutMs: z.coerce.number().int().min(100).max(600_000).optional(),
  requestTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).optional(),
  maxTokenLifetime: z.coerce
    .number()
    .int()
    .min(60)
    .max(365 * 24 * 3600)
    .optional(),
};

export interface HttpConfig {
  /** Longest wait for a request's headers, from its first byte (408 and close). */
  headersTimeoutMs: number;
  /** Longest wait for a whole request, headers and body (408 and close). */
  requestTimeoutMs: number;
  /** Longest `exp - iat` of a bearer token, in seconds. */
  maxTokenLifetimeSec: number;
}

type HttpFlags = z.output<z.ZodObject<typeof HttpFlagsShape>>;

export function resolveHttpConfig(flags: HttpFlags): HttpConfig {
  const headersTimeoutMs = flags.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  return {
    headersTimeoutMs,
    // Node refuses a header timeout longer than the request timeout
    requestTimeoutMs: Math.max(flags.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeoutMs),
    maxTokenLifetimeSec: flags.maxTokenLifetime ?? DEFAULT_MAX_TOKEN_LIFETIME_SEC,
  };
}
