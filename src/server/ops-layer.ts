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
import { endpointLimit } from './middleware/endpoint-limit.js';
import { observeRequests } from './middleware/observe.js';
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

export function installOpsLayer(app: Hono, ops: OpsAppOptions, jwtSecret: string): void {
  const { metrics } = ops;
  app.use('*', observeRequests({ logger: ops.logger, metrics }));
  if (metrics) {
    app.get('/metrics', async (c) =>
      c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }),
    );
  }
  app.route('/', adminRoutes({ board: ops.switches, store: ops.store, adminKey: ops.adminKey, jwtSecret }));
  app.use('/admin', adminAuth(ops.adminKey, jwtSecret));
  app.use('/v1/*', degradeGate(ops.switches));
  app.use(
    '/v1/*',
    endpointLimit(ops.switches, ops.endpointLimiter, (endpoint) =>
      metrics?.limiterRejected('endpoint', endpoint),
    ),
  );
  if (metrics) {
    // a 429 that passed the endpoint limiter came from the per-packet claim limiter
    app.use('/v1/packets/*', async (c, next) => {
      await next();
      if (c.res.status === 429 && endpointOf(c.req.method, c.req.path) === 'claim')
        metrics.limiterRejected('packet', 'claim');
    });
  }
}
