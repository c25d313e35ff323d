/** Issue 3: what travels to and from the reward issuer. */
import { z } from 'zod';
import { UID_PATTERN } from '../../auth/tokens.js';
import { MAX_WIRE_FEN } from '../store/balance-bounds.js';
import { ORDER_NO_PATTERN } from '../wire.js';
import type { Campaign, DrawOutcome, RainGrant } from './types.js';
import { remainingBudget } from './types.js';

export const CAMPAIGN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

// Budgets, grant amounts and returns stay far inside the ledger's range (store/balance-bounds.ts).
const fen = z.number().int().min(1).max(MAX_WIRE_FEN);
export const CampaignParam = z.string().regex(CAMPAIGN_PATTERN, 'must be 1-64 letters, digits, _ or -');

export const CampaignConfigBody = z
  .strictObject({
    budget: z.number().int().min(0).max(MAX_WIRE_FEN),
    probability: z.number().min(0).max(1),
    minAmount: fen,
    maxAmount: fen,
    tokenTtlSec: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600),
  })
  .refine((c) => c.maxAmount >= c.minAmount, {
    message: 'maxAmount must be at least minAmount',
    path: ['maxAmount'],
  });

export const TokensQuery = z.object({
  uid: z.string().regex(UID_PATTERN, 'must be 1-64 letters, digits, _ or -'),
});

export const ReturnBody = z.strictObject({
  returnNo: z.string().regex(ORDER_NO_PATTERN, 'must be 1-64 letters, digits or _ . : -'),
  campaign: CampaignParam,
  amount: fen,
});

export const SealedGrantSchema = z.object({
  tokenId: z.string(),
  outGrantNo: z.string(),
  uid: z.string(),
  campaign: z.string(),
  amount: z.number().int(),
  expiresAt: z.number().int(),
  issuedAt: z.number().int(),
  token: z.string(),
});

export const DrawAnswer = z.discriminatedUnion('won', [
  z.object({ won: z.literal(true), grant: SealedGrantSchema }),
  z.object({ won: z.literal(false), reason: z.enum(['unlucky', 'budget_exhausted']) }),
]);

export const CampaignSchema = z.object({
  id: z.string(),
  budget: z.number().int(),
  granted: z.number().int(),
  returned: z.number().int(),
  remaining: z.number().int(),
  grants: z.number().int(),
  probability: z.number(),
  minAmount: z.number().int(),
  maxAmount: z.number().int(),
  tokenTtlSec: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const toGrantView = ({
  txnId: _txn,
  published: _p,
  ...grant
}: RainGrant): z.infer<typeof SealedGrantSchema> => grant;

export const toDrawView = (o: DrawOutcome): z.infer<typeof DrawAnswer> =>
  o.won ? { won: true, grant: toGrantView(o.grant) } : o;

export const toCampaignView = (c: Campaign): z.infer<typeof CampaignSchema> => ({
  ...c,
  remaining: remainingBudget(c),
});
