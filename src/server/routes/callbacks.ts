import { Hono } from 'hono';
import { z } from 'zod';
import { RedpktError } from '../../domain/errors.js';
import type { ProviderEvent } from '../../domain/ports.js';
import { verifySignature } from '../../finance/signature.js';
import { applyProviderEvent } from '../../services/apply-provider-event.js';
import type { ServiceDeps } from '../../services/deps.js';
import { parseWith } from '../validate.js';

const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const id = z.string().min(1).max(256);

/** Strict (issue 18): an unknown field or an impossible time is a provider we do not understand. */
export const ProviderEventSchema = z.strictObject({
  eventId: id,
  type: z.literal('order.updated'),
  sentAt: epochMs,
  order: z.strictObject({
    orderNo: id,
    kind: z.enum(['payment', 'transfer', 'refund']),
    uid: z.string().max(64),
    amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
    txnId: id.nullable(),
    payOrderNo: id.nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  }),
});

export const CallbackResponse = z.object({ ok: z.literal(true), changed: z.boolean() });

/** Signed order events from finance. The signature covers the raw body; nothing is read before it checks. */
export function callbackRoutes(deps: ServiceDeps, signSecret: string) {
  const app = new Hono();
  app.post('/v1/callbacks/finance', async (c) => {
    const raw = await c.req.text();
    const ts = c.req.header('x-finance-timestamp') ?? '';
    const sig = c.req.header('x-finance-signature') ?? '';
    if (!verifySignature(signSecret, raw, ts, sig, { now: deps.now() })) {
      throw new RedpktError('INVALID_SIGNATURE', 'callback signature does not verify');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new RedpktError('VALIDATION_FAILED', 'callback body is not JSON', { cause: e });
    }
    const event: ProviderEvent = parseWith(ProviderEventSchema, parsed);
    const { changed } = await applyProviderEvent(deps, event);
    return c.json({ ok: true, changed });
  });
  return app;
}
