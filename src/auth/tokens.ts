import { sign, verify } from 'hono/jwt';
import { RedpktError } from '../domain/errors.js';

/** Bearer tokens: JWT HS256, `sub` = uid as a string, `exp` required. */
export const UID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export async function issueToken(
  secret: string,
  uid: string,
  ttlSec = 24 * 3600,
  now = Date.now(),
): Promise<string> {
  if (!UID_PATTERN.test(uid))
    throw new RedpktError('VALIDATION_FAILED', 'uid must be 1-64 letters, digits, _ or -');
  const iat = Math.floor(now / 1000);
  return sign({ sub: uid, iat, exp: iat + ttlSec }, secret, 'HS256');
}

/** The uid a token names; UNAUTHENTICATED for anything missing, tampered, expired or odd. */
export async function verifyToken(secret: string, token: string): Promise<string> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, 'HS256');
  } catch (e) {
    throw new RedpktError('UNAUTHENTICATED', 'invalid or expired token', { cause: e });
  }
  const { sub, exp } = payload;
  if (typeof exp !== 'number') throw new RedpktError('UNAUTHENTICATED', 'token has no exp');
  if (typeof sub !== 'string' || !UID_PATTERN.test(sub))
    throw new RedpktError('UNAUTHENTICATED', 'token has no valid sub');
  return sub;
}

export function bearerFrom(header: string | undefined): string {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m?.[1]) throw new RedpktError('UNAUTHENTICATED', 'missing bearer token');
  return m[1];
}
