/** The wire shapes of the operators' API (routes/admin.ts), also used for /openapi.json. */
import { z } from 'zod';
import { text } from './text-schema.js';

const Meta = { reason: text(255).optional(), actor: text(128, 1).optional() };

/** PUT /admin/switches/degrade|mock/:name */
export const ToggleBody = z.strictObject({ on: z.boolean(), ...Meta });

/** PUT /admin/switches/limit/:name (null lifts the limit) */
export const LimitBody = z.strictObject({
  perSecond: z.number().int().min(1).max(10_000_000).nullable(),
  ...Meta,
});

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  kind: z.string().optional(),
  name: z.string().optional(),
});

export const MockedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  since: z.coerce.number().int().min(0).optional(),
});
