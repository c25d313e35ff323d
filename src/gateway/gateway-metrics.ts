/**
 * The gateway's Prometheus metrics (`GET /metrics` on `serve --role gateway`): the requests it
 * answered (by method, route class and status, with latency), the claims its limiter refused
 * (429) or let through unasked (Redis down), and per core whether it is up and how many requests
 * went to it. Node's process metrics too. A registry of its own, as the service's.
 */
import { Gauge } from 'prom-client';
import { createMetrics, type Metrics } from '../metrics/create-metrics.js';
import type { ClaimGate } from './claim-gate.js';
import type { CoreSet } from './core-set.js';
import type { RequestClass } from './request-class.js';

export function createGatewayMetrics(cores: CoreSet, claimGate: ClaimGate | undefined): Metrics {
  const metrics = createMetrics({
    bypassed: claimGate ? [{ limiter: 'packet', count: () => claimGate.bypassed() }] : [],
  });
  const registers = [metrics.registry];
  new Gauge({
    name: 'redpkt_gateway_core_up',
    help: 'Whether the gateway sends requests to a core (1 up, 0 down)',
    labelNames: ['core'] as const,
    registers,
    collect() {
      for (const s of cores.states()) this.set({ core: s.origin }, s.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'redpkt_gateway_core_forwarded',
    help: 'Requests forwarded to a core since the gateway started (attempts, retries included)',
    labelNames: ['core'] as const,
    registers,
    collect() {
      for (const s of cores.states()) this.set({ core: s.origin }, s.forwarded);
    },
  });
  return metrics;
}

/**
 * A bounded route label for a gateway request (`cls`: its `classifyRequest`): the packet routes
 * by pattern, the rest as `other`.
 */
export function gatewayRoute(path: string, cls: RequestClass): string {
  if (path === '/healthz' || path === '/metrics') return path;
  if (cls.claim) return '/v1/packets/:id/claims';
  if (cls.packetId !== undefined)
    return path === `/v1/packets/${cls.packetId}` ? '/v1/packets/:id' : '/v1/packets/:id/*';
  return 'other';
}
