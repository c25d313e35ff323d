/**
 * Gateway endpoints by method and path, for the degrade gate, the endpoint limiter and the
 * metrics. Matched on the request itself, not on the registered routes, so a gate applies to a
 * route the moment it lands (the B2C routes of issue 3).
 */
import type { DegradeName, LimitEndpoint } from './catalog.js';

const ENDPOINTS: ReadonlyArray<{ endpoint: LimitEndpoint; method: string; path: RegExp }> = [
  { endpoint: 'c2c-send', method: 'POST', path: /^\/v1\/c2c\/packets\/?$/ },
  { endpoint: 'b2c-send', method: 'POST', path: /^\/v1\/b2c\/packets\/?$/ },
  { endpoint: 'claim', method: 'POST', path: /^\/v1\/packets\/[^/]+\/claims\/?$/ },
  { endpoint: 'query-details', method: 'GET', path: /^\/v1\/packets\/[^/]+(\/claims)?\/?$/ },
  { endpoint: 'subsidy-list', method: 'GET', path: /^\/v1\/subsidies\/?$/ },
];

/** The degrade switch that closes an endpoint (subsidy-list degrades inside the service instead). */
export const DEGRADE_OF_ENDPOINT: Readonly<Partial<Record<LimitEndpoint, DegradeName>>> = {
  'c2c-send': 'c2c-send',
  'b2c-send': 'b2c-send',
  claim: 'claim',
  'query-details': 'query-details',
};

export function endpointOf(method: string, path: string): LimitEndpoint | null {
  if (!path.startsWith('/v1/')) return null;
  for (const e of ENDPOINTS) if (e.method === method && e.path.test(path)) return e.endpoint;
  return null;
}
