/**
 * The simulated provider's operations for /openapi.json (issue 18), tag `finance` (the signed
 * service API), `finance-admin` (signed runtime control) and `finance-user` (the payer's own calls).
 */
import { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.js';
import type { Op } from '../../server/openapi-op.js';
import { AccountAnswer, LedgerAnswer, OrderAnswer, PayOrderAnswer, TransferManyAnswer } from '../client.js';
import { BooksAnswer, InstallAnswer, KnobsAnswer, RealnameAnswer } from '../admin-client.js';
import { KnobsPatchSchema } from '../knobs.js';
import { CampaignAnswer, TokensAnswer } from '../rain/rain-client.js';
import {
  GrantAnswer,
  GrantExportQuerySchema,
  GrantPageAnswer,
  NumberParam,
  RainReturnAnswer,
} from '../rain/grant-export-wire.js';
import { CampaignConfigBody, CampaignParam, DrawAnswer, ReturnBody, TokensQuery } from '../rain/rain-wire.js';
import {
  InstallAccountsBody,
  LedgerQuerySchema,
  PayOrderBody,
  RealnameUid,
  RefundBody,
  TransferBody,
  TransferManyBody,
} from '../wire.js';

/** A signed service call: the fault gate (injected 503s) and a signature check in front of it. */
const SIGNED: ErrorCode[] = ['VALIDATION_FAILED', 'INVALID_SIGNATURE', 'DEPENDENCY_FAILED'];
/** Admin calls are signed and never faulted; a database down is still a 503. */
const ADMIN: ErrorCode[] = ['VALIDATION_FAILED', 'INVALID_SIGNATURE', 'DEPENDENCY_FAILED'];
const ORDER_WRITE: ErrorCode[] = [...SIGNED, 'IDEMPOTENCY_CONFLICT', 'ORDER_NOT_FOUND', 'ILLEGAL_TRANSITION'];

const ok = (schema: z.ZodType, description = 'ok') => [{ status: 200, description, schema }];
const StatsAnswer = z.object({
  requests: z.record(z.string(), z.unknown()),
  callbacks: z.record(z.string(), z.unknown()).optional(),
});
const campaign = { campaign: CampaignParam };

export function financeOps(): Op[] {
  const op = (o: Omit<Op, 'tag' | 'auth'> & Partial<Pick<Op, 'tag' | 'auth'>>): Op => ({
    tag: 'finance',
    auth: 'finance',
    ...o,
  });
  return [
    op({
      operationId: 'financeCreatePayOrder',
      method: 'post',
      path: '/finance/pay-orders',
      summary: 'Create a payment order (idempotent by payOrderNo)',
      body: PayOrderBody,
      ok: ok(PayOrderAnswer, 'the order and where its payer pays it'),
      errors: ORDER_WRITE,
    }),
    op({
      operationId: 'financeClosePayOrder',
      method: 'post',
      path: '/finance/pay-orders/{payOrderNo}/close',
      summary: 'Close an unpaid order the packet service gave up on (paying it afterwards is refused)',
      ok: ok(OrderAnswer),
      errors: ORDER_WRITE,
    }),
    op({
      operationId: 'financePay',
      method: 'post',
      path: '/finance/cashier/{payOrderNo}/pay',
      tag: 'finance-user',
      auth: 'bearer',
      summary: 'The payer pays their own order (bearer token of the payer)',
      ok: ok(OrderAnswer),
      errors: [
        'VALIDATION_FAILED',
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'DEPENDENCY_FAILED',
        'ORDER_NOT_FOUND',
        'ILLEGAL_TRANSITION',
        'INSUFFICIENT_BALANCE',
      ],
    }),
    op({
      operationId: 'financeTransfer',
      method: 'post',
      path: '/finance/transfers',
      summary: 'Move money to a user (idempotent by transferNo)',
      body: TransferBody,
      ok: ok(OrderAnswer),
      errors: [...ORDER_WRITE, 'INSUFFICIENT_BALANCE'],
    }),
    op({
      operationId: 'financeTransferBatch',
      method: 'post',
      path: '/finance/transfers/batch',
      summary: 'Many transfers in one call; a refused item answers its own error inside the 200',
      body: TransferManyBody,
      ok: ok(TransferManyAnswer),
      errors: SIGNED,
    }),
    op({
      operationId: 'financeRefund',
      method: 'post',
      path: '/finance/refunds',
      summary: 'Refund (part of) a payment to its payer (idempotent by refundNo)',
      body: RefundBody,
      ok: ok(OrderAnswer),
      errors: [...ORDER_WRITE, 'INSUFFICIENT_BALANCE'],
    }),
    op({
      operationId: 'financeGetOrder',
      method: 'get',
      path: '/finance/orders/{orderNo}',
      summary: 'One order by number',
      ok: ok(OrderAnswer),
      errors: [...SIGNED, 'ORDER_NOT_FOUND'],
    }),
    op({
      operationId: 'financeListLedger',
      method: 'get',
      path: '/finance/ledger',
      summary: 'Ledger entries by id (keyset pages: afterId)',
      query: LedgerQuerySchema,
      ok: ok(LedgerAnswer),
      errors: SIGNED,
    }),
    op({
      operationId: 'financeGetAccount',
      method: 'get',
      path: '/finance/accounts/{id}',
      summary: 'One account and its balance',
      ok: ok(AccountAnswer),
      errors: [...SIGNED, 'NOT_FOUND'],
    }),
    op({
      operationId: 'financeGetRealname',
      method: 'get',
      path: '/finance/realname/{uid}',
      summary: 'The real-name check result installed for a user',
      params: { uid: RealnameUid },
      ok: ok(RealnameAnswer),
      errors: SIGNED,
    }),
    op({
      operationId: 'financeDraw',
      method: 'post',
      path: '/finance/rain/{campaign}/draw',
      tag: 'finance-user',
      auth: 'bearer',
      summary: 'Draw in a subsidy rain campaign (bearer token of the drawer)',
      params: campaign,
      ok: ok(DrawAnswer, 'won (a sealed grant) or not'),
      errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'DEPENDENCY_FAILED', 'NOT_FOUND'],
    }),
    op({
      operationId: 'financeListTokens',
      method: 'get',
      path: '/finance/rain/tokens',
      summary: "A user's sealed subsidy tokens",
      query: TokensQuery,
      ok: ok(TokensAnswer),
      errors: SIGNED,
    }),
    op({
      operationId: 'financeReturnRemainder',
      method: 'post',
      path: '/finance/rain/returns',
      summary: "Return a B2C packet's unclaimed remainder to its campaign (idempotent by returnNo)",
      body: ReturnBody,
      ok: ok(RainReturnAnswer),
      errors: [...SIGNED, 'NOT_FOUND', 'IDEMPOTENCY_CONFLICT'],
    }),
    op({
      operationId: 'financeListGrants',
      method: 'get',
      path: '/finance/rain/grants',
      summary: 'The issued grants, for reconciliation (keyset pages)',
      query: GrantExportQuerySchema,
      ok: ok(GrantPageAnswer),
      errors: SIGNED,
    }),
    op({
      operationId: 'financeGetGrant',
      method: 'get',
      path: '/finance/rain/grants/{outGrantNo}',
      summary: 'One issued grant',
      params: { outGrantNo: NumberParam },
      ok: ok(GrantAnswer),
      errors: [...SIGNED, 'NOT_FOUND'],
    }),
    op({
      operationId: 'financeGetReturn',
      method: 'get',
      path: '/finance/rain/returns/{returnNo}',
      summary: 'One remainder return',
      params: { returnNo: NumberParam },
      ok: ok(RainReturnAnswer),
      errors: [...SIGNED, 'NOT_FOUND'],
    }),
    op({
      operationId: 'financeGetKnobs',
      method: 'get',
      path: '/finance/admin/knobs',
      tag: 'finance-admin',
      summary: 'The fault-injection knobs',
      ok: ok(KnobsAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeSetKnobs',
      method: 'put',
      path: '/finance/admin/knobs',
      tag: 'finance-admin',
      summary: 'Change some knobs (only those named)',
      body: KnobsPatchSchema,
      ok: ok(KnobsAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeGetStats',
      method: 'get',
      path: '/finance/admin/stats',
      tag: 'finance-admin',
      summary: 'Request and callback counters',
      ok: ok(StatsAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeResetStats',
      method: 'delete',
      path: '/finance/admin/stats',
      tag: 'finance-admin',
      summary: 'Reset the request counters',
      ok: ok(StatsAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeCheckBooks',
      method: 'get',
      path: '/finance/admin/books',
      tag: 'finance-admin',
      summary: 'Balances against the ledger: every account that disagrees',
      ok: ok(BooksAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeInstallAccounts',
      method: 'put',
      path: '/finance/admin/accounts',
      tag: 'finance-admin',
      summary: 'Install up to 1,000 fixture accounts in one transaction',
      body: InstallAccountsBody,
      ok: ok(InstallAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeSetCampaign',
      method: 'put',
      path: '/finance/admin/rain/campaigns/{campaign}',
      tag: 'finance-admin',
      summary: 'Create or change a subsidy rain campaign',
      params: campaign,
      body: CampaignConfigBody,
      ok: ok(CampaignAnswer),
      errors: ADMIN,
    }),
    op({
      operationId: 'financeGetCampaign',
      method: 'get',
      path: '/finance/admin/rain/campaigns/{campaign}',
      tag: 'finance-admin',
      summary: 'One subsidy rain campaign',
      params: campaign,
      ok: ok(CampaignAnswer),
      errors: [...ADMIN, 'NOT_FOUND'],
    }),
  ];
}
