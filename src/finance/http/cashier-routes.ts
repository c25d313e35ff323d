/** The cashier: the payer pays their own order, identified by their bearer token (JWT HS256). */
import { Hono } from 'hono';
import { bearerFrom, tokenPolicy, verifyToken } from '../../auth/tokens.js';
import type { FinanceService } from '../service.js';
import { toProviderOrder } from '../wire.js';

export function cashierRoutes(deps: {
  service: FinanceService;
  jwtSecret: string;
  /** Issue 18: serve's `--max-token-lifetime`, as on every route that reads a bearer token. */
  maxTokenLifetimeSec?: number | undefined;
  now: () => number;
}): Hono {
  const app = new Hono();
  const policy = tokenPolicy(deps.maxTokenLifetimeSec);
  app.post('/finance/cashier/:payOrderNo/pay', async (c) => {
    const token = bearerFrom(c.req.header('authorization'));
    const uid = await verifyToken(deps.jwtSecret, token, deps.now(), policy);
    const order = await deps.service.pay(c.req.param('payOrderNo'), uid);
    return c.json({ order: toProviderOrder(order) });
  });
  return app;
}
