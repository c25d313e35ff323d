/**
 * HMAC-SHA256 signatures shared by finance and its callers.
 *
 * Callbacks: `x-finance-signature` = hex HMAC(secret, `${timestamp}.${rawBody}`), with
 * `x-finance-timestamp` in epoch ms. Service-to-finance requests use the same scheme over a
 * canonical request (`METHOD\npath?query\nbody`), so a signature cannot be replayed on another route.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-finance-timestamp';
export const SIGNATURE_HEADER = 'x-finance-signature';
/** Issue 18: a random value per signed request, so two identical calls in one millisecond differ. */
export const NONCE_HEADER = 'x-finance-nonce';
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

export function signPayload(secret: string, body: string, ts: number | string): string {
  return createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
}

export interface VerifyOptions {
  /** How far the timestamp may be from `now`, either way. Default 5 minutes. */
  toleranceMs?: number;
  now?: number;
}

/** true only for a well-formed, fresh timestamp and a matching signature (compared in constant time). */
export function verifySignature(
  secret: string,
  body: string,
  ts: number | string,
  sig: string,
  opts: VerifyOptions = {},
): boolean {
  const tsText = String(ts);
  if (!/^\d{1,16}$/.test(tsText) || !/^[0-9a-f]{64}$/i.test(sig)) return false;
  const { toleranceMs = DEFAULT_TOLERANCE_MS, now = Date.now() } = opts;
  if (Math.abs(now - Number(tsText)) > toleranceMs) return false;
  const expected = Buffer.from(signPayload(secret, body, tsText), 'hex');
  return timingSafeEqual(expected, Buffer.from(sig, 'hex'));
}

export interface SignedRequest {
  method: string;
  /** Path and query string exactly as sent, e.g. `/finance/ledger?afterId=10`. */
  path: string;
  body: string;
  /** The `x-finance-nonce` header, when sent; covered by the signature. */
  nonce?: string | undefined;
}

/** The string a service request's signature covers (in place of a callback's raw body). */
export function canonicalRequest(req: SignedRequest): string {
  const base = `${req.method.toUpperCase()}\n${req.path}\n${req.body}`;
  return req.nonce === undefined ? base : `${base}\n${req.nonce}`;
}

/** Headers for a signed service-to-finance request, with a fresh nonce. */
export function signRequest(secret: string, req: SignedRequest, now = Date.now()): Record<string, string> {
  const ts = String(now);
  const nonce = randomBytes(12).toString('base64url');
  return {
    [TIMESTAMP_HEADER]: ts,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: signPayload(secret, canonicalRequest({ ...req, nonce }), ts),
  };
}

export function verifyRequest(
  secret: string,
  req: SignedRequest,
  ts: string | undefined,
  sig: string | undefined,
  opts: VerifyOptions = {},
): boolean {
  if (ts === undefined || sig === undefined) return false;
  return verifySignature(secret, canonicalRequest(req), ts, sig, opts);
}
