import { z } from 'zod';
import { PACKET_STATUSES } from '../domain/packet.js';
import { CLAIM_STATUSES } from '../domain/claim.js';

/** Wire schemas: money is an integer number of fen, never a float or a string. */
export const fen = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const OrderNo = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');
export const PacketIdParam = z.string().regex(/^[PS]\d{2}[0-9A-Z]{21}$/, 'not a packet id');

/** The fields every packet send takes besides its money source (C2C: an amount; B2C: a subsidy). */
export const PacketShapeFields = {
  totalCount: z.number().int().min(1).max(1_000_000),
  splitMode: z.enum(['random', 'fixed']).optional(),
  expiresInSec: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .optional(),
  greeting: z.string().max(140).optional(),
};

export const CreateC2cBody = z.strictObject({
  outOrderNo: OrderNo,
  totalAmount: fen,
  ...PacketShapeFields,
});

export const CreateC2cResponse = z.object({
  packetId: z.string(),
  status: z.enum(PACKET_STATUSES),
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

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
