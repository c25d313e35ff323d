import type { MiddlewareHandler } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyRequest } from '../signature.js';

/**
 * Service-to-finance calls carry an HMAC of `METHOD\npath?query\nbody` (see signature.ts).
 * The raw body is read here; Hono caches it, so handlers read it again for free.
 */
export function requireSignature(secret: string, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const body = await c.req.text();
    const ok = verifyRequest(
      secret,
      { method: c.req.method, path: `${url.pathname}${url.search}`, body },
      c.req.header(TIMESTAMP_HEADER),
      c.req.header(SIGNATURE_HEADER),
      { now: now() },
    );
    if (!ok) throw new RedpktError('INVALID_SIGNATURE', 'missing, stale or wrong request signature');
    await next();
  };
}
