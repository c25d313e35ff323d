import type { MiddlewareHandler } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import type { LimitEndpoint } from '../../switches/catalog.js';
import { endpointOf } from '../../switches/endpoints.js';
import type { EndpointLimiter } from '../../switches/limit/endpoint-limiter.js';
import type { SwitchReader } from '../../switches/ports.js';

export interface EndpointLimit {
  switches: Pick<SwitchReader, 'limitOf'>;
  limiter: EndpointLimiter;
  onRejected?: ((endpoint: LimitEndpoint) => void) | undefined;
}

/**
 * Throws `429 RATE_LIMITED` when the endpoint has a limit and its second is full (the middleware
 * and the claim's fast path). An endpoint without a limit costs one map lookup, and no promise.
 */
export function admitEndpoint(
  limit: EndpointLimit,
  endpoint: LimitEndpoint | null,
): Promise<void> | undefined {
  const perSecond = endpoint ? limit.switches.limitOf(endpoint) : null;
  if (!endpoint || perSecond === null) return undefined;
  return limit.limiter.admit(endpoint, perSecond).then((decision) => {
    if (decision.kind === 'limited') {
      limit.onRejected?.(endpoint);
      throw new RedpktError('RATE_LIMITED', 'too many requests to this endpoint right now; retry shortly', {
        details: { retryAfterMs: decision.retryAfterMs, endpoint },
      });
    }
  });
}

/**
 * `redpkt limit set <endpoint> <n>`: at most n requests per second pass to the endpoint (over the
 * cluster with Redis); the rest get `429 RATE_LIMITED` with `retryAfterMs`.
 */
export function endpointLimit(limit: EndpointLimit): MiddlewareHandler {
  return async (c, next) => {
    await admitEndpoint(limit, endpointOf(c.req.method, c.req.path));
    await next();
  };
}
