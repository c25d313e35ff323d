/** The routes the packet service calls, every one HMAC-signed. */
import { Hono } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import { jsonBody, parseWith } from '../../server/validate.js';
import type { FinanceService } from '../service.js';
import type { FinanceStore } from '../store/types.js';
import {
  LedgerQuerySchema,
  PayOrderBody,
  RefundBody,
  TransferBody,
  TransferManyBody,
  toProviderOrder,
} from '../wire.js';
import type { ReplayGuard } from '../replay-guard.js';
import { requireSignature } from './require-signature.js';

export interface ServiceRoutesDeps {
  service: FinanceService;
  store: FinanceStore;
  signSecret: string;
  /** Issue 18: signed writes accepted once. */
  replay?: ReplayGuard | undefined;
  now: () => number;
  /** `${publicUrl}/finance/cashier/…`; the request's own origin when not set. */
  publicUrl: string | undefined;
}

export function serviceRoutes(deps: ServiceRoutesDeps): Hono {
  const app = new Hono();
  const signed = requireSignature(deps.signSecret, deps.now, deps.replay);

  app.post('/finance/pay-orders', signed, async (c) => {
    const input = await jsonBody(c, PayOrderBody);
    const order = await deps.service.createPayOrder(input);
    const base = deps.publicUrl ?? new URL(c.req.url).origin;
    return c.json({
      order: toProviderOrder(order),
      cashierUrl: `${base}/finance/cashier/${encodeURIComponent(order.orderNo)}/pay`,
    });
  });

  // Issue 4: an unpaid order the packet service gave up on; paying it afterwards is refused.
  app.post('/finance/pay-orders/:payOrderNo/close', signed, async (c) => {
    const order = await deps.service.closePayOrder(c.req.param('payOrderNo'));
    return c.json({ order: toProviderOrder(order) });
  });

  app.post('/finance/transfers', signed, async (c) => {
    const order = await deps.service.transfer(await jsonBody(c, TransferBody));
    return c.json({ order: toProviderOrder(order) });
  });

  // Faulted as a whole by the gate in front of every non-admin route (failureRate, latency,
  // failAfterCommitRate), exactly as /finance/transfers. Refused items answer their error, 200.
  app.post('/finance/transfers/batch', signed, async (c) => {
    const results = await deps.service.transferMany(await jsonBody(c, TransferManyBody));
    return c.json({
      results: results.map((r) =>
        'error' in r
          ? { error: { code: r.error.code, message: r.error.message } }
          : { order: toProviderOrder(r.order) },
      ),
    });
  });

  app.post('/finance/refunds', signed, async (c) => {
    const order = await deps.service.refund(await jsonBody(c, RefundBody));
    return c.json({ order: toProviderOrder(order) });
  });

  app.get('/finance/orders/:orderNo', signed, async (c) => {
    const order = await deps.store.getOrder(c.req.param('orderNo'));
    if (!order) throw new RedpktError('ORDER_NOT_FOUND', `no order ${c.req.param('orderNo')}`);
    return c.json({ order: toProviderOrder(order) });
  });

  app.get('/finance/ledger', signed, async (c) => {
    const query = parseWith(LedgerQuerySchema, c.req.query());
    const entries = await deps.store.listLedger(query);
    const last = entries.at(-1);
    return c.json({ entries, nextAfterId: entries.length === query.limit && last ? last.id : null });
  });

  app.get('/finance/accounts/:id', signed, async (c) => {
    const account = await deps.store.getAccount(c.req.param('id'));
    if (!account) throw new RedpktError('NOT_FOUND', `no account ${c.req.param('id')}`);
    return c.json({ account });
  });

  return app;
}
