/** The cashier: the payer pays their own order, identified by their bearer token (JWT HS256). */
import { Hono } from 'hono';
import { bearerFrom, verifyToken } from '../../auth/tokens.js';
import type { FinanceService } from '../service.js';
import { toProviderOrder } from '../wire.js';

export function cashierRoutes(deps: { service: FinanceService; jwtSecret: string }): Hono {
  const app = new Hono();
  app.post('/finance/cashier/:payOrderNo/pay', async (c) => {
    const uid = await verifyToken(deps.jwtSecret, bearerFrom(c.req.header('authorization')));
    const order = await deps.service.pay(c.req.param('payOrderNo'), uid);
    return c.json({ order: toProviderOrder(order) });
  });
  return app;
}
