import { z } from 'zod';
import { PACKET_STATUSES } from '../domain/packet.js';
import { CLAIM_STATUSES } from '../domain/claim.js';
import { DEFAULT_LIMITS, type PacketLimits } from '../domain/limits.js';
import { text } from './text-schema.js';

/** Wire schemas: money is an integer number of fen, never a float or a string. */
export const fen = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const OrderNo = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');
export const PacketIdParam = z.string().regex(/^[PS]\d{2}[0-9A-Z]{21}$/, 'not a packet id');

/**
 * The fields every packet send takes besides its money source (C2C: an amount; B2C: a subsidy),
 * bounded by the service's limits (`serve --max-*`): the routes validate with these schemas and
 * /openapi.json is generated from them, so the two cannot disagree (issue 18).
 */
export function packetShapeFields(limits: PacketLimits) {
  return {
    totalCount: z.number().int().min(limits.minCount).max(limits.maxCount),
    splitMode: z.enum(['random', 'fixed']).optional(),
    expiresInSec: z
      .number()
      .int()
      .min(limits.minExpiresInSec)
      .max(limits.maxExpiresInSec)
      .optional()
      .meta({ description: `seconds until the packet expires (default ${limits.defaultExpiresInSec})` }),
    greeting: text(140).optional(),
  };
}

/** What a schema cannot say: relations between fields (checked by validatePacketShape). */
export const shareRules = (limits: PacketLimits, amount: string) =>
  `${amount} is at least totalCount (every share gets 1 fen or more), and the average share ` +
  `ceil(${amount} / totalCount) is at most ${limits.maxShare} fen; otherwise 400 VALIDATION_FAILED.`;

export function createC2cBody(limits: PacketLimits) {
  return z
    .strictObject({
      outOrderNo: OrderNo,
      totalAmount: fen.max(limits.maxAmount),
      ...packetShapeFields(limits),
    })
    .meta({ description: shareRules(limits, 'totalAmount') });
}

/** With the default limits (tests and clients that do not know the server's flags). */
export const CreateC2cBody = createC2cBody(DEFAULT_LIMITS);

export const CreateC2cResponse = z.object({
  packetId: z.string(),
  status: z.enum(PACKET_STATUSES),
  totalCount: z.number().int(),
  payOrderNo: z.string(),
  cashierUrl: z.string(),
  created: z.boolean(),
});

export const PacketResponse = z.object({
  packetId: z.string(),
  type: z.enum(['c2c', 'b2c']),
  status: z.enum(PACKET_STATUSES),
  senderUid: z.string(),
  totalAmount: z.number().int(),
  totalCount: z.number().int(),
  remainingAmount: z.number().int(),
  remainingCount: z.number().int(),
  splitMode: z.enum(['random', 'fixed']),
  greeting: z.string(),
  expiresAt: z.number().int(),
  createdAt: z.number().int(),
});

export const ClaimResponse = z.object({
  claimNo: z.string(),
  packetId: z.string(),
  amount: z.number().int(),
  remainingCount: z.number().int(),
  status: z.enum(CLAIM_STATUSES),
  created: z.boolean(),
});

export const ClaimListResponse = z.object({
  packetId: z.string(),
  status: z.enum(PACKET_STATUSES),
  totalAmount: z.number().int(),
  totalCount: z.number().int(),
  claimedAmount: z.number().int(),
  claimedCount: z.number().int(),
  claims: z.array(
    z.object({
      claimNo: z.string(),
      uid: z.string(),
      amount: z.number().int(),
      claimedAt: z.number().int(),
      status: z.enum(CLAIM_STATUSES),
      bestLuck: z.boolean(),
    }),
  ),
});

/** Every VALIDATION_FAILED names what was wrong the same way (issue 18). */
export const ValidationDetails = z.object({
  fields: z.array(z.string()).meta({ description: 'the offending fields, dotted paths (`order.amount`)' }),
  allowed: z.array(z.string()).optional().meta({ description: 'the values allowed, where they are few' }),
});

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    retryAfterMs: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: 'when to try again (also as Retry-After, in seconds): 429 and 503 answers' }),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'for VALIDATION_FAILED: `{fields: [...], allowed?: [...]}`' }),
  }),
});
