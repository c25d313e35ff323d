/**
 * Issue 7's layer of the HTTP app: request ids, JSON logs and metrics around everything;
 * `GET /metrics`; the `/admin` API; and, in front of the client API, the degrade gate and the
 * per-endpoint limiter. createApp installs it before any route when `ops` is given.
 */
import type { Hono } from 'hono';
import type { Logger } from '../metrics/logger.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { endpointOf } from '../switches/endpoints.js';
import type { EndpointLimiter } from '../switches/limit/endpoint-limiter.js';
import type { SwitchStore } from '../switches/ports.js';
import type { SwitchBoard } from '../switches/switch-board.js';
import { adminAuth } from './middleware/admin-auth.js';
import { degradeGate } from './middleware/degrade-gate.js';
import { endpointLimit, type EndpointLimit } from './middleware/endpoint-limit.js';
import { observeRequests, type ObserveOptions } from './middleware/observe.js';
import { adminRoutes } from './routes/admin.js';

export interface OpsAppOptions {
  switches: SwitchBoard;
  store: Pick<SwitchStore, 'listAudit' | 'listMocked'>;
  endpointLimiter: EndpointLimiter;
  /** The key of the /admin API (distinct from users' tokens). */
  adminKey: string;
  metrics?: Metrics;
  logger?: Logger;
}

/**
 * The pieces of the layer a claim passes, for the claim's fast path (src/server/claim-fast-path.ts)
 * to run the same ones as the middleware below: observe's options, the degrade switches, the
 * endpoint limit, and the count of the per-packet limiter's refusals.
 */
export interface OpsGates {
  observe: ObserveOptions;
  switches: OpsAppOptions['switches'];
  endpoint: EndpointLimit;
  /** An answer of the routes behind the gates: its 429 on a claim came from the per-packet limiter. */
  afterRoute(method: string, path: string, status: number): void;
}

export function opsGates(ops: OpsAppOptions): OpsGates {
  const { metrics } = ops;
  return {
    observe: { logger: ops.logger, metrics },
    switches: ops.switches,
    endpoint: {
      switches: ops.switches,
      limiter: ops.endpointLimiter,
      onRejected: (endpoint) => metrics?.limiterRejected('endpoint', endpoint),
    },
    afterRoute(method, path, status) {
      // a 429 that passed the endpoint limiter came from the per-packet claim limiter
      if (metrics && status === 429 && endpointOf(method, path) === 'claim')
        metrics.limiterRejected('packet', 'claim');
    },
  };
}

export function installOpsLayer(app: Hono, ops: OpsAppOptions, jwtSecret: string): OpsGates {
  const gates = opsGates(ops);
  const { metrics } = ops;
  app.use('*', observeRequests(gates.observe));
  if (metrics) {
    app.get('/metrics', async (c) =>
      c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }),
    );
  }
  app.route('/', adminRoutes({ board: ops.switches, store: ops.store, adminKey: ops.adminKey, jwtSecret }));
  app.use('/admin', adminAuth(ops.adminKey, jwtSecret));
  app.use('/v1/*', degradeGate(ops.switches));
  app.use('/v1/*', endpointLimit(gates.endpoint));
  if (metrics) {
    app.use('/v1/packets/*', async (c, next) => {
      await next();
      gates.afterRoute(c.req.method, c.req.path, c.res.status);
    });
  }
  return gates;
}
