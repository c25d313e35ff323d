/**
 * The simulated provider's HTTP API, every route under /finance, so it can be served alone or
 * mounted beside the packet API (`app.route('/', financeApp)`).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createErrorHandler, errorResponse } from '../../server/middleware/error-handler.js';
import type { Knobs } from '../knobs.js';
import type { Notifier } from '../notifier.js';
import type { Random } from '../random.js';
import { grantExportRoutes } from '../rain/grant-export-routes.js';
import { rainRoutes } from '../rain/rain-routes.js';
import type { RainService } from '../rain/rain-service.js';
import type { FinanceService } from '../service.js';
import type { Stats } from '../stats.js';
import type { FinanceStore } from '../store/types.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { cashierRoutes } from './cashier-routes.js';
import { createReplayGuard } from '../replay-guard.js';
import { DEFAULT_TOLERANCE_MS } from '../signature.js';
import { countRequests, faultGate } from './fault-gate.js';
import { serviceRoutes } from './service-routes.js';

export interface FinanceAppDeps {
  service: FinanceService;
  store: FinanceStore;
  knobs: Knobs;
  stats: Stats;
  notifier: Notifier;
  /** Dice for failureRate and failAfterCommitRate. */
  random: Random;
  /** Verifies payers' bearer tokens at the cashier. */
  jwtSecret: string;
  /** Issue 18: the longest bearer-token lifetime accepted (serve's `--max-token-lifetime`). */
  maxTokenLifetimeSec?: number | undefined;
  /** Verifies service calls' signatures. */
  signSecret: string;
  publicUrl?: string;
  /** Issue 3: the reward issuer's routes (/finance/rain/*, /finance/admin/rain/*). */
  rain?: RainService;
  now?: () => number;
  log?: (msg: string, err: unknown) => void;
}

export function createFinanceApp(deps: FinanceAppDeps): Hono {
  const now = deps.now ?? Date.now;
  // issue 18: one for every signed route, kept in finance's database (shared by every process on it)
  const replay = createReplayGuard(deps.store, DEFAULT_TOLERANCE_MS);
  const app = new Hono();
  app.onError(createErrorHandler(deps.log ?? ((msg, err) => console.error(msg, err))));
  app.notFound((c) => errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));
  app.use('/finance/*', countRequests(deps.stats));
  app.use('/finance/*', faultGate(deps.knobs, deps.random));
  app.use('/finance/*', bodyLimit({ maxSize: 64 * 1024 }));
  app.route(
    '/',
    serviceRoutes({
      service: deps.service,
      store: deps.store,
      signSecret: deps.signSecret,
      now,
      replay,
      publicUrl: deps.publicUrl,
    }),
  );
  const tokens = { jwtSecret: deps.jwtSecret, maxTokenLifetimeSec: deps.maxTokenLifetimeSec };
  app.route('/', cashierRoutes({ service: deps.service, ...tokens, now }));
  // issue 8: the reward issuer's grant export for reconciliation (read-only, signed)
  app.route('/', grantExportRoutes({ store: deps.store, signSecret: deps.signSecret, now }));
  app.route('/', adminRoutes({ ...deps, now, replay }));
  app.route('/', accountRoutes({ store: deps.store, signSecret: deps.signSecret, now, replay })); // issue 5
  if (deps.rain) {
    app.route('/', rainRoutes({ rain: deps.rain, ...tokens, signSecret: deps.signSecret, now, replay }));
  }
  return app;
}
