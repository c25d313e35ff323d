import { createHmac, timingSafeEqual } from 'node:crypto';
import { RedpktError } from '../domain/errors.js';

/**
 * Bearer tokens: JWT HS256, `sub` = uid as a string, `iat` and `exp` required, a lifetime
 * (`exp - iat`) of at most `maxLifetimeSec` and an `iat` not in the future beyond
 * `TOKEN_CLOCK_SKEW_SEC` (issue 18: a token minted a year ahead or for a century is refused).
 * Signed and verified with node:crypto directly: every request verifies one, and WebCrypto's
 * per-call key import (what generic JWT helpers do) cost more than the rest of a claim request.
 */
export const UID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The longest lifetime a token may have unless serve is told otherwise (`--max-token-lifetime`). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SEC = 30 * 24 * 3600;
/** How far a token's `iat` may be ahead of our clock (the minter's clock may run a little fast). */
export const TOKEN_CLOCK_SKEW_SEC = 60;

export interface TokenPolicy {
  /** `exp - iat` may not exceed this. Default `DEFAULT_MAX_TOKEN_LIFETIME_SEC`. */
  maxLifetimeSec?: number;
}

/** The policy of a `--max-token-lifetime` that may be absent (absent: the default maximum). */
export function tokenPolicy(maxLifetimeSec: number | undefined): TokenPolicy {
  return maxLifetimeSec === undefined ? {} : { maxLifetimeSec };
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function mac(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export async function issueToken(
  secret: string,
  uid: string,
  ttlSec = 24 * 3600,
  now = Date.now(),
): Promise<string> {
  if (!UID_PATTERN.test(uid))
    throw new RedpktError('VALIDATION_FAILED', 'uid must be 1-64 letters, digits, _ or -');
  if (!Number.isSafeInteger(ttlSec) || ttlSec < 1 || ttlSec > DEFAULT_MAX_TOKEN_LIFETIME_SEC)
    throw new RedpktError(
      'VALIDATION_FAILED',
      `a token's lifetime must be 1 to ${DEFAULT_MAX_TOKEN_LIFETIME_SEC} seconds (what serve accepts by default)`,
    );
  const iat = Math.floor(now / 1000);
  const payload = Buffer.from(JSON.stringify({ sub: uid, iat, exp: iat + ttlSec })).toString('base64url');
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${mac(secret, signingInput).toString('base64url')}`;
}

const unauthenticated = (message: string, cause?: unknown) =>
  new RedpktError('UNAUTHENTICATED', message, cause === undefined ? undefined : { cause });

/** A token part as a JSON object; UNAUTHENTICATED ("malformed token") for anything else. */
function decodeJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (e) {
    throw unauthenticated('malformed token', e);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw unauthenticated('malformed token', new Error('not an object'));
  return value as Record<string, unknown>;
}

/** What a token with a valid signature says: its uid and its validity window. */
export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
  nbf?: number;
}

/**
 * A token's claims once its signature, algorithm, `iat`, `exp`, lifetime and `sub` are checked;
 * not its times against the clock (`checkTokenTimes`). UNAUTHENTICATED for anything missing,
 * tampered or odd.
 */
export function readToken(secret: string, token: string, policy: TokenPolicy = {}): TokenClaims {
  // by index, not split: the signing input is a slice of the token, never a new concatenation
  const d1 = token.indexOf('.');
  const d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
  if (d2 < 0 || token.indexOf('.', d2 + 1) !== -1) throw unauthenticated('malformed token');
  const h = token.slice(0, d1);
  // our own header, byte for byte, needs no decoding (every token `issueToken` made has it)
  if (h !== HEADER && decodeJson(h).alg !== 'HS256') throw unauthenticated('token must be signed with HS256');
  const expected = mac(secret, token.slice(0, d2));
  const signature = token.slice(d2 + 1);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated('invalid token signature');
  }
  // Node's decoder skips characters outside the alphabet and stops at '=': only the one canonical
  // text of the MAC is accepted, so a valid token has exactly one spelling (the token cache keys
  // on it) and none can be padded to any length
  if (signature !== given.toString('base64url')) throw unauthenticated('invalid token signature');
  const { sub, iat, exp, nbf } = decodeJson(token.slice(d1 + 1, d2));
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw unauthenticated('token has no exp');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw unauthenticated('token has no iat');
  const maxLifetimeSec = policy.maxLifetimeSec ?? DEFAULT_MAX_TOKEN_LIFETIME_SEC;
  if (exp - iat > maxLifetimeSec)
    throw unauthenticated(`token lifetime exceeds the maximum of ${maxLifetimeSec} seconds`);
  if (typeof sub !== 'string' || !UID_PATTERN.test(sub)) throw unauthenticated('token has no valid sub');
  return typeof nbf === 'number' ? { sub, iat, exp, nbf } : { sub, iat, exp };
}

/** UNAUTHENTICATED when the token is expired, not valid yet, or issued in the future at `now` (ms). */
export function checkTokenTimes(claims: TokenClaims, now: number): void {
  const nowSec = Math.floor(now / 1000);
  if (claims.exp <= nowSec) throw unauthenticated('token expired');
  if (claims.iat > nowSec + TOKEN_CLOCK_SKEW_SEC) throw unauthenticated('token issued in the future');
  if (claims.nbf !== undefined && claims.nbf > nowSec) throw unauthenticated('token not valid yet');
}

/** The uid a token names; UNAUTHENTICATED for anything missing, tampered, expired or odd. */
export async function verifyToken(
  secret: string,
  token: string,
  now = Date.now(),
  policy: TokenPolicy = {},
): Promise<string> {
  const claims = readToken(secret, token, policy);
  checkTokenTimes(claims, now);
  return claims.sub;
}

export function bearerFrom(header: string | undefined): string {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m?.[1]) throw new RedpktError('UNAUTHENTICATED', 'missing bearer token');
  return m[1];
}
