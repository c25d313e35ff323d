/**
 * The packet service's side of finance: PaymentProvider over signed HTTP.
 * Error answers become RedpktError with the provider's code; 5xx, timeouts and connection
 * errors become DEPENDENCY_FAILED (the caller retries or re-checks later).
 */
import { z } from 'zod';
import { type ErrorCode, RedpktError, isErrorCode } from '../domain/errors.js';
import type { PaymentProvider, ProviderOrder } from '../domain/ports.js';
import { createCaller, errorFromAnswer, expectOk } from './http-caller.js';
import { RAIN_LEDGER_KINDS } from './rain/types.js';
import type { CallerOptions } from './http-caller.js';
import type { Account, LedgerEntry, LedgerQuery } from './store/types.js';
import { ProviderOrderSchema } from './wire.js';

export type FinanceClientOptions = CallerOptions;

export interface FinanceClient extends PaymentProvider {
  /** One page of the provider's ledger, oldest first; pass nextAfterId back as afterId. */
  listLedger(query?: Partial<LedgerQuery>): Promise<{ entries: LedgerEntry[]; nextAfterId: number | null }>;
  /** null when the account was never opened. */
  getAccount(id: string): Promise<Account | null>;
  close(): Promise<void>;
}

export const OrderAnswer = z.object({ order: ProviderOrderSchema });
export const TransferManyAnswer = z.object({
  results: z.array(
    z.union([
      z.object({ order: ProviderOrderSchema }),
      // any code: one item's code this client does not know must not fail the whole answer
      z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  ),
});
/** An item refused with a code of a newer finance: a failure of the dependency, retried. */
const knownCode = (code: string): ErrorCode => (isErrorCode(code) ? code : 'DEPENDENCY_FAILED');

export const PayOrderAnswer = z.object({ order: ProviderOrderSchema, cashierUrl: z.string() });
export const LedgerAnswer = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      txnId: z.string(),
      orderNo: z.string(),
      kind: z.enum(['funding', 'payment', 'transfer', 'refund', ...RAIN_LEDGER_KINDS]),
      account: z.string(),
      direction: z.enum(['debit', 'credit']),
      amount: z.number().int(),
      createdAt: z.number().int(),
    }),
  ),
  nextAfterId: z.number().int().nullable(),
});
export const AccountAnswer = z.object({
  account: z.object({
    id: z.string(),
    balance: z.number().int(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  }),
});

export function createFinanceClient(opts: FinanceClientOptions): FinanceClient {
  const caller = createCaller(opts);
  const order = async (path: string, body: unknown): Promise<ProviderOrder> =>
    expectOk(await caller.send('POST', path, body), OrderAnswer).order;

  return {
    async createPayOrder(input) {
      return expectOk(await caller.send('POST', '/finance/pay-orders', input), PayOrderAnswer);
    },
    closePayOrder: (payOrderNo) => order(`/finance/pay-orders/${encodeURIComponent(payOrderNo)}/close`, {}),
    transfer: (input) => order('/finance/transfers', input),
    refund: (input) => order('/finance/refunds', input),

    async transferMany(input) {
      // only the wire's fields: the items may be richer objects of the caller's (the body is strict)
      const transfers = input.transfers.map(({ transferNo, uid, amount }) => ({ transferNo, uid, amount }));
      const body = { transfers, notifyUrl: input.notifyUrl };
      const { results } = expectOk(
        await caller.send('POST', '/finance/transfers/batch', body),
        TransferManyAnswer,
      );
      if (results.length !== input.transfers.length) {
        throw new RedpktError(
          'DEPENDENCY_FAILED',
          `finance answered ${results.length} results to ${input.transfers.length} transfers`,
        );
      }
      return results.map((r) => {
        if ('order' in r) return r;
        const code = knownCode(r.error.code);
        const message = code === r.error.code ? r.error.message : `${r.error.code}: ${r.error.message}`;
        return { error: { code, message } };
      });
    },

    async queryOrder(orderNo) {
      const answer = await caller.send('GET', `/finance/orders/${encodeURIComponent(orderNo)}`);
      if (answer.status === 404) {
        const error = errorFromAnswer(answer);
        if (error.code === 'ORDER_NOT_FOUND') return null;
        throw error;
      }
      return expectOk(answer, OrderAnswer).order;
    },

    async listLedger(query = {}) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.size > 0 ? `?${params}` : '';
      return expectOk(await caller.send('GET', `/finance/ledger${qs}`), LedgerAnswer);
    },

    async getAccount(id) {
      const answer = await caller.send('GET', `/finance/accounts/${encodeURIComponent(id)}`);
      if (answer.status === 404 && errorFromAnswer(answer).code === 'NOT_FOUND') return null;
      return expectOk(answer, AccountAnswer).account;
    },

    close: () => caller.close(),
  };
}
