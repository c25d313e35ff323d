/**
 * The service's Prometheus metrics (`GET /metrics`), on a registry of its own per app instance
 * (no global default registry: two services in one process, as in tests, never mix).
 * Request counters and latency are observed as requests pass; switch states, queue depths and
 * row counts by state are read when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { CLAIM_STATUSES } from '../domain/claim.js';
import { PAYMENT_STATUSES, REFUND_STATUSES } from '../domain/order.js';
import type { StateCounts } from '../switches/ports.js';
import type { SwitchView } from '../switches/switch-board.js';
import { createCachedStates } from './cached-states.js';
import { registerWatchGauges } from './watch-gauges.js';

export interface MetricsSources {
  switches?: () => readonly SwitchView[];
  /** Queue depths, e.g. the claim coalescer's active per-packet queues, the grant queue. */
  queues?: ReadonlyArray<{ name: string; depth: () => number | Promise<number> }>;
  /** Requests a limiter let through because it could not be asked (Redis down), cumulative. */
  bypassed?: ReadonlyArray<{ limiter: string; count: () => number }>;
  /** Rows by state (packets, payments, claims, refunds, mocked orders): read at most every `statesMaxAgeMs`. */
  states?: () => Promise<StateCounts>;
  statesMaxAgeMs?: number;
  /** Node.js process metrics (heap, event loop lag, …). Default on. */
  processMetrics?: boolean;
  /** Metrics made elsewhere, unregistered (dependency calls, lane requests), added to this registry. */
  register?: readonly Metric[];
}

export interface Metrics {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** A request refused by a limiter: `endpoint` (redpkt limit) or `packet` (the claim limiter). */
  limiterRejected(limiter: 'endpoint' | 'packet', endpoint: string): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  contentType: string;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (sources.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'redpkt_' });

  const requests = new Counter({
    name: 'redpkt_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'code'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'redpkt_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rejections = new Counter({
    name: 'redpkt_limiter_rejections_total',
    help: 'Requests refused with 429 by a limiter (endpoint: redpkt limit; packet: the per-packet claim limiter)',
    labelNames: ['limiter', 'endpoint'] as const,
    registers,
  });

  new Gauge({
    name: 'redpkt_switch_on',
    help: 'Degrade and mock switches as this instance sees them (1 on, 0 off)',
    labelNames: ['kind', 'name'] as const,
    registers,
    collect() {
      for (const s of sources.switches?.() ?? [])
        if (s.kind !== 'limit') this.set({ kind: s.kind, name: s.name }, s.value > 0 ? 1 : 0);
    },
  });
  new Gauge({
    name: 'redpkt_endpoint_limit_per_second',
    help: 'Per-endpoint request limits at the gateway (0: no limit)',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const s of sources.switches?.() ?? [])
        if (s.kind === 'limit') this.set({ endpoint: s.name }, s.value);
    },
  });
  new Gauge({
    name: 'redpkt_queue_depth',
    help: 'Queue depths: claim-packets = per-packet claim queues active; claims-in-flight = claimers waiting for an answer; grants = grant messages not yet booked',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      for (const q of sources.queues ?? []) {
        try {
          this.set({ queue: q.name }, await q.depth());
        } catch {
          // a queue that cannot answer is left out of this scrape
        }
      }
    },
  });
  new Gauge({
    name: 'redpkt_limiter_bypassed',
    help: 'Requests let through unlimited because the shared limiter could not be asked (cumulative)',
    labelNames: ['limiter'] as const,
    registers,
    collect() {
      for (const b of sources.bypassed ?? []) this.set({ limiter: b.limiter }, b.count());
    },
  });
  if (sources.states) {
    const states = createCachedStates(sources.states, sources.statesMaxAgeMs);
    registerStateGauges(registers, states);
    registerWatchGauges(registers, states);
  }
  for (const m of sources.register ?? []) registry.registerMetric(m);

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, code: String(status) });
      latency.observe({ method, route }, seconds);
    },
    limiterRejected(limiter, endpoint) {
      rejections.inc({ limiter, endpoint });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

function registerStateGauges(registers: Registry[], states: () => Promise<StateCounts>): void {
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    rows: (s: StateCounts) => Array<Record<L, string> & { count: number }> | undefined,
    /** Series shown as 0 when no row has them (a dashboard's "0", not "no data"). */
    zeros: readonly Record<L, string>[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const list = rows(await states());
        if (!list) return;
        this.reset();
        for (const labels of zeros) this.set(labels, 0);
        for (const { count, ...labels } of list) this.set(labels as unknown as Record<L, string>, count);
      },
    });
  gauge('redpkt_packets', 'Packets by type and status', ['type', 'status'], (s) => s.packets);
  const byStatus = (list: readonly string[]) => list.map((status) => ({ status }));
  gauge(
    'redpkt_payments',
    'Payment orders by status',
    ['status'],
    (s) => s.payments,
    byStatus(PAYMENT_STATUSES),
  );
  gauge(
    'redpkt_claims',
    'Claims by transfer state (claimed, transferring, transferred, failed)',
    ['status'],
    (s) => s.claims,
    byStatus(CLAIM_STATUSES),
  );
  gauge('redpkt_refunds', 'Refund orders by status', ['status'], (s) => s.refunds, byStatus(REFUND_STATUSES));
  gauge(
    'redpkt_mocked_orders',
    'Orders answered by a mock instead of the provider',
    ['kind'],
    (s) => s.mocked,
  );
}
