/** What travels between the packet service and finance: request bodies and the order shape. */
import { z } from 'zod';
import { text } from '../server/text-schema.js';
import { UID_PATTERN } from '../auth/tokens.js';
import { MAX_TRANSFER_BATCH } from '../domain/ports.js';
import type { ProviderOrder } from '../domain/ports.js';
import { MAX_INSTALL_BATCH } from './store/install-types.js';
import type { StoredOrder } from './store/types.js';

export const ORDER_NO_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

const orderNo = z.string().regex(ORDER_NO_PATTERN, 'must be 1-64 letters, digits or _ . : -');
const uid = z.string().regex(UID_PATTERN, 'must be 1-64 letters, digits, _ or -');
const amount = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const notifyUrl = z.url({ protocol: /^https?$/ }).max(1024);

export const PayOrderBody = z.strictObject({
  payOrderNo: orderNo,
  payerUid: uid,
  amount,
  subject: text(128, 1),
  notifyUrl,
});

export const TransferBody = z.strictObject({ transferNo: orderNo, uid, amount, notifyUrl });

/**
 * `POST /finance/transfers/batch`: 1..MAX_TRANSFER_BATCH items, each as a TransferBody without its
 * notifyUrl (one for the call), transfer numbers unique within the call.
 */
export const TransferManyBody = z.strictObject({
  transfers: z
    .array(z.strictObject({ transferNo: orderNo, uid, amount }))
    .min(1)
    .max(MAX_TRANSFER_BATCH)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach(({ transferNo }, i) => {
        if (seen.has(transferNo)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'transferNo'],
            message: `${transferNo} appears more than once`,
          });
        }
        seen.add(transferNo);
      });
    }),
  notifyUrl,
});

export const RefundBody = z.strictObject({ refundNo: orderNo, payOrderNo: orderNo, amount, notifyUrl });

/** Issue 5: a fixture install batch (`PUT /finance/admin/accounts`); balances up to 10^12 fen each. */
export const InstallAccountsBody = z.strictObject({
  accounts: z
    .array(
      z.strictObject({
        uid,
        balance: z.number().int().min(0).max(1_000_000_000_000),
        realname: z.enum(['ok', 'fail']).default('ok'),
      }),
    )
    .min(1)
    .max(MAX_INSTALL_BATCH),
});

export const RealnameUid = uid;

export const LedgerQuerySchema = z.object({
  fromMs: z.coerce.number().int().min(0).optional(),
  toMs: z.coerce.number().int().min(0).optional(),
  afterId: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const ProviderOrderSchema = z.object({
  orderNo: z.string(),
  kind: z.enum(['payment', 'transfer', 'refund']),
  uid: z.string(),
  amount: z.number().int(),
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
  txnId: z.string().nullable(),
  payOrderNo: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The public part of a stored order (subject and notifyUrl stay inside finance). */
export function toProviderOrder(o: StoredOrder): ProviderOrder {
  return {
    orderNo: o.orderNo,
    kind: o.kind,
    uid: o.uid,
    amount: o.amount,
    status: o.status,
    txnId: o.txnId,
    payOrderNo: o.payOrderNo,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}
