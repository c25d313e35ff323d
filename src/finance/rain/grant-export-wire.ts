/** Issue 8: what travels in the reward issuer's export (grant-export.ts) over HTTP. */
import { z } from 'zod';
import { ORDER_NO_PATTERN } from '../wire.js';

const ms = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `afterIssuedAt` and `afterGrantNo` together are the keyset cursor (both or neither). */
export const GrantExportQuerySchema = z
  .object({
    fromMs: ms.optional(),
    toMs: ms.optional(),
    afterIssuedAt: ms.optional(),
    afterGrantNo: z.string().regex(ORDER_NO_PATTERN, 'must be 1-64 letters, digits or _ . : -').optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .refine((q) => (q.afterIssuedAt === undefined) === (q.afterGrantNo === undefined), {
    message: 'afterIssuedAt and afterGrantNo go together',
    path: ['afterGrantNo'],
  });

export const IssuedGrantSchema = z.object({
  outGrantNo: z.string(),
  tokenId: z.string(),
  uid: z.string(),
  campaign: z.string(),
  amount: z.number().int(),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
});

export const GrantPageAnswer = z.object({
  grants: z.array(IssuedGrantSchema),
  /** The cursor of the next page; null on the last one. */
  next: z.object({ issuedAt: z.number().int(), outGrantNo: z.string() }).nullable(),
});

export const GrantAnswer = z.object({ grant: IssuedGrantSchema });

export const RainReturnSchema = z.object({
  returnNo: z.string(),
  campaign: z.string(),
  amount: z.number().int(),
  txnId: z.string(),
  createdAt: z.number().int(),
});

export const RainReturnAnswer = z.object({ return: RainReturnSchema });

export const NumberParam = z.string().regex(ORDER_NO_PATTERN, 'must be 1-64 letters, digits or _ . : -');
