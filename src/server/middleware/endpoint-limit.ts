import type { MiddlewareHandler } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import type { LimitEndpoint } from '../../switches/catalog.js';
import { endpointOf } from '../../switches/endpoints.js';
import type { EndpointLimiter } from '../../switches/limit/endpoint-limiter.js';
import type { SwitchReader } from '../../switches/ports.js';

/**
 * `redpkt limit set <endpoint> <n>`: at most n requests per second pass to the endpoint (over the
 * cluster with Redis); the rest get `429 RATE_LIMITED` with `retryAfterMs`. An endpoint without a
 * limit costs one map lookup.
 */
export function endpointLimit(
  switches: Pick<SwitchReader, 'limitOf'>,
  limiter: EndpointLimiter,
  onRejected?: (endpoint: LimitEndpoint) => void,
): MiddlewareHandler {
  return async (c, next) => {
    const endpoint = endpointOf(c.req.method, c.req.path);
    const perSecond = endpoint ? switches.limitOf(endpoint) : null;
    if (endpoint && perSecond !== null) {
      const decision = await limiter.admit(endpoint, perSecond);
      if (decision.kind === 'limited') {
        onRejected?.(endpoint);
        throw new RedpktError('RATE_LIMITED', 'too many requests to this endpoint right now; retry shortly', {
          details: { retryAfterMs: decision.retryAfterMs, endpoint },
        });
      }
    }
    await next();
  };
}
