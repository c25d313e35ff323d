import type { MiddlewareHandler } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import type { ReplayGuard } from '../replay-guard.js';
import { NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyRequest } from '../signature.js';

const READS = new Set(['GET', 'HEAD']);
const CHECKED = 'financeSignatureChecked' as never;

/**
 * Service-to-finance calls carry an HMAC of `METHOD\npath?query\nbody[\nnonce]` (see signature.ts).
 * The raw body is read here; Hono caches it, so handlers read it again for free. With a replay
 * guard, a write's signature is accepted once (issue 18); reads may be repeated.
 */
export function requireSignature(secret: string, now: () => number, replay?: ReplayGuard): MiddlewareHandler {
  return async (c, next) => {
    // one check a request: /finance/admin/* has the admin routes' guard and the route's own
    if (c.get(CHECKED)) return next();
    const url = new URL(c.req.url);
    const body = await c.req.text();
    const ts = c.req.header(TIMESTAMP_HEADER);
    const sig = c.req.header(SIGNATURE_HEADER);
    const at = now();
    const ok = verifyRequest(
      secret,
      { method: c.req.method, path: `${url.pathname}${url.search}`, body, nonce: c.req.header(NONCE_HEADER) },
      ts,
      sig,
      { now: at },
    );
    if (!ok) throw new RedpktError('INVALID_SIGNATURE', 'missing, stale or wrong request signature');
    if (replay && !READS.has(c.req.method) && sig && !(await replay.firstUse(sig, Number(ts), at)))
      throw new RedpktError('INVALID_SIGNATURE', 'this signed request was already accepted (a replay)');
    c.set(CHECKED, true);
    await next();
  };
}
