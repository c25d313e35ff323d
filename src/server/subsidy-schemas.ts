/** Issue 3: wire schemas of the B2C routes. Money is an integer number of fen. */
import { z } from 'zod';
import { PACKET_STATUSES } from '../domain/packet.js';
import { WITHDRAWAL_STATUSES } from '../domain/subsidy.js';
import { MAX_SUBSIDY_TOKEN_LENGTH } from '../auth/subsidy-token.js';
import { DEFAULT_LIMITS, type PacketLimits } from '../domain/limits.js';
import { OrderNo, packetShapeFields, fen, shareRules } from './schemas.js';

export function createB2cBody(limits: PacketLimits) {
  return z
    .strictObject({
      outOrderNo: OrderNo,
      subsidyToken: z.string().min(1).max(MAX_SUBSIDY_TOKEN_LENGTH),
      ...packetShapeFields(limits),
    })
    .meta({ description: `The amount is the subsidy's. ${shareRules(limits, 'the amount')}` });
}

export const CreateB2cBody = createB2cBody(DEFAULT_LIMITS);

export const CreateB2cResponse = z.object({
  packetId: z.string(),
  status: z.enum(PACKET_STATUSES),
  totalAmount: z.number().int(),
  totalCount: z.number().int(),
  expiresAt: z.number().int(),
  tokenId: z.string(),
  created: z.boolean(),
});

export const SubsidyListResponse = z.object({
  subsidies: z.array(
    z.object({
      tokenId: z.string(),
      outGrantNo: z.string(),
      campaign: z.string(),
      amount: z.number().int(),
      status: z.enum(['available', 'used', 'expired']),
      issuedAt: z.number().int(),
      expiresAt: z.number().int(),
      token: z.string().nullable(),
      booked: z.boolean(),
      packetId: z.string().nullable(),
    }),
  ),
  partial: z.boolean(),
});

export const BalanceResponse = z.object({
  uid: z.string(),
  available: z.number().int(),
  held: z.number().int(),
  updatedAt: z.number().int(),
});

export const WithdrawBody = z.strictObject({ outOrderNo: OrderNo, amount: fen });

const WithdrawalView = z.object({
  withdrawalNo: z.string(),
  outOrderNo: z.string(),
  amount: z.number().int(),
  status: z.enum(WITHDRAWAL_STATUSES),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const WithdrawalResponse = WithdrawalView.extend({ created: z.boolean() });
export const WithdrawalListResponse = z.object({ withdrawals: z.array(WithdrawalView) });
