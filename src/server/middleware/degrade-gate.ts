import type { MiddlewareHandler } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import { DEGRADE_INFO } from '../../switches/catalog.js';
import type { LimitEndpoint } from '../../switches/catalog.js';
import { DEGRADE_OF_ENDPOINT, endpointOf } from '../../switches/endpoints.js';
import type { SwitchReader } from '../../switches/ports.js';

/** How long a degraded endpoint asks clients to wait before trying again. */
export const DEGRADED_RETRY_AFTER_MS = 10_000;

/** Throws `DEGRADED` when the endpoint's degrade switch is on (the gate and the claim's fast path). */
export function checkNotDegraded(
  switches: Pick<SwitchReader, 'isOn'>,
  endpoint: LimitEndpoint | null,
  retryAfterMs = DEGRADED_RETRY_AFTER_MS,
): void {
  const gate = endpoint ? DEGRADE_OF_ENDPOINT[endpoint] : undefined;
  if (gate && switches.isOn('degrade', gate)) {
    throw new RedpktError('DEGRADED', DEGRADE_INFO[gate].message, {
      details: { retryAfterMs, switch: gate },
    });
  }
}

/**
 * A degraded endpoint answers `503 DEGRADED` with a friendly message, `retryAfterMs` and a
 * Retry-After header, before identity or validation: shedding costs nothing. Reads memory only.
 */
export function degradeGate(
  switches: Pick<SwitchReader, 'isOn'>,
  retryAfterMs = DEGRADED_RETRY_AFTER_MS,
): MiddlewareHandler {
  return async (c, next) => {
    checkNotDegraded(switches, endpointOf(c.req.method, c.req.path), retryAfterMs);
    await next();
  };
}
