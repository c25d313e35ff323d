/** The packet service's operations (issue 18: every served route, from the routes' own schemas). */
import { z } from 'zod';
import type { ErrorCode } from '../domain/errors.js';
import type { PacketLimits } from '../domain/limits.js';
import { SWITCH_KINDS } from '../switches/catalog.js';
import { AuditQuery, LimitBody, MockedQuery, ToggleBody } from './admin-schemas.js';
import type { Op } from './openapi-op.js';
import { CallbackResponse, ProviderEventSchema } from './routes/callbacks.js';
import {
  ClaimListResponse,
  ClaimResponse,
  CreateC2cResponse,
  PacketIdParam,
  PacketResponse,
  createC2cBody,
} from './schemas.js';
import {
  BalanceResponse,
  CreateB2cResponse,
  SubsidyListResponse,
  WithdrawBody,
  WithdrawalListResponse,
  WithdrawalResponse,
  createB2cBody,
} from './subsidy-schemas.js';

/** Every `/v1` route: the degrade gate, the endpoint limiter, a database that cannot be reached. */
const V1: ErrorCode[] = ['VALIDATION_FAILED', 'DEGRADED', 'RATE_LIMITED', 'DEPENDENCY_FAILED'];
const USER: ErrorCode[] = [...V1, 'UNAUTHENTICATED'];
const ADMIN: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'DEPENDENCY_FAILED'];
const id = { id: PacketIdParam };

const loose = z.record(z.string(), z.unknown());
const ReadinessBody = z.object({ status: z.enum(['ready', 'not_ready']), checks: loose });

export function packetServiceOps(limits: PacketLimits): Op[] {
  return [
    {
      operationId: 'getHealth',
      method: 'get',
      path: '/healthz',
      tag: 'ops',
      summary: 'Liveness: 200 while the process runs',
      auth: 'none',
      ok: [{ status: 200, description: 'alive', schema: z.object({ ok: z.literal(true) }) }],
      errors: ['VALIDATION_FAILED'],
    },
    {
      operationId: 'getReadiness',
      method: 'get',
      path: '/readyz',
      tag: 'ops',
      summary: 'Readiness: 200 once the instance can serve (stores, switches, Redis, workers), else 503',
      auth: 'none',
      ok: [
        { status: 200, description: 'ready', schema: ReadinessBody },
        { status: 503, description: 'not ready: the failing checks say why', schema: ReadinessBody },
      ],
      errors: ['VALIDATION_FAILED'],
    },
    {
      operationId: 'getOpenApi',
      method: 'get',
      path: '/openapi.json',
      tag: 'ops',
      summary: 'This document, with the limits this server runs with',
      auth: 'none',
      ok: [{ status: 200, description: 'the OpenAPI document', schema: loose }],
      errors: ['VALIDATION_FAILED'],
    },
    {
      operationId: 'getMetrics',
      method: 'get',
      path: '/metrics',
      tag: 'ops',
      summary: 'Prometheus metrics (requests, latency, claims/transfers/refunds by state, queues, switches)',
      auth: 'none',
      ok: [{ status: 200, description: 'Prometheus text exposition', contentType: 'text/plain' }],
      errors: ['VALIDATION_FAILED'],
    },
    {
      operationId: 'createC2cPacket',
      method: 'post',
      path: '/v1/c2c/packets',
      tag: 'packets',
      summary: 'Create an unpaid C2C packet and its payment order (idempotent by outOrderNo)',
      auth: 'bearer',
      body: createC2cBody(limits),
      ok: [
        { status: 201, description: 'created', schema: CreateC2cResponse },
        {
          status: 200,
          description: 'a replay of the same outOrderNo: the packet made first',
          schema: CreateC2cResponse,
        },
      ],
      errors: [...USER, 'IDEMPOTENCY_CONFLICT'],
    },
    {
      operationId: 'getPacket',
      method: 'get',
      path: '/v1/packets/{id}',
      tag: 'packets',
      summary: 'Packet detail (any signed-in user who knows the id)',
      auth: 'bearer',
      params: id,
      ok: [{ status: 200, description: 'the packet', schema: PacketResponse }],
      errors: [...USER, 'PACKET_NOT_FOUND'],
    },
    {
      operationId: 'claimPacket',
      method: 'post',
      path: '/v1/packets/{id}/claims',
      tag: 'packets',
      summary: 'Claim a share (the same claimer again gets the same claim, created: false)',
      auth: 'bearer',
      params: id,
      ok: [{ status: 200, description: 'the claim', schema: ClaimResponse }],
      errors: [...USER, 'PACKET_NOT_FOUND', 'PACKET_NOT_ACTIVE', 'PACKET_EXHAUSTED', 'PACKET_EXPIRED'],
    },
    {
      operationId: 'listClaims',
      method: 'get',
      path: '/v1/packets/{id}/claims',
      tag: 'packets',
      summary: 'Every claim with the best-luck marker (any signed-in user who knows the id)',
      auth: 'bearer',
      params: id,
      ok: [{ status: 200, description: 'the claims', schema: ClaimListResponse }],
      errors: [...USER, 'PACKET_NOT_FOUND'],
    },
    {
      operationId: 'receiveFinanceCallback',
      method: 'post',
      path: '/v1/callbacks/finance',
      tag: 'callbacks',
      summary: 'Signed order events from the payment provider (idempotent by event)',
      auth: 'callback',
      body: ProviderEventSchema,
      ok: [{ status: 200, description: 'applied, or a replay (changed: false)', schema: CallbackResponse }],
      errors: [...V1, 'INVALID_SIGNATURE', 'IDEMPOTENCY_CONFLICT', 'ORDER_NOT_FOUND', 'ILLEGAL_TRANSITION'],
    },
    {
      operationId: 'listSubsidies',
      method: 'get',
      path: '/v1/subsidies',
      tag: 'subsidies',
      summary: "My subsidies: the issuer's tokens merged with booked ones; partial when the issuer is down",
      auth: 'bearer',
      ok: [{ status: 200, description: 'my subsidies', schema: SubsidyListResponse }],
      errors: USER,
    },
    {
      operationId: 'createB2cPacket',
      method: 'post',
      path: '/v1/b2c/packets',
      tag: 'subsidies',
      summary: 'Send an active B2C packet funded by a subsidy token (idempotent by outOrderNo)',
      auth: 'bearer',
      body: createB2cBody(limits),
      ok: [
        { status: 201, description: 'created', schema: CreateB2cResponse },
        {
          status: 200,
          description: 'a replay of the same outOrderNo: the packet made first',
          schema: CreateB2cResponse,
        },
      ],
      errors: [
        ...USER,
        'SUBSIDY_INVALID',
        'SUBSIDY_NOT_OWNER',
        'SUBSIDY_EXPIRED',
        'SUBSIDY_USED',
        'SUBSIDY_CONFLICT',
        'IDEMPOTENCY_CONFLICT',
      ],
    },
    {
      operationId: 'getBalance',
      method: 'get',
      path: '/v1/me/balance',
      tag: 'me',
      summary: 'My withdrawable subsidy balance (held: on its way to the wallet)',
      auth: 'bearer',
      ok: [{ status: 200, description: 'my balance', schema: BalanceResponse }],
      errors: USER,
    },
    {
      operationId: 'createWithdrawal',
      method: 'post',
      path: '/v1/me/withdrawals',
      tag: 'me',
      summary: 'Withdraw subsidy balance to the wallet through a finance transfer (idempotent by outOrderNo)',
      auth: 'bearer',
      body: WithdrawBody,
      ok: [
        { status: 201, description: 'created', schema: WithdrawalResponse },
        { status: 200, description: 'a replay of the same outOrderNo', schema: WithdrawalResponse },
      ],
      errors: [...USER, 'INSUFFICIENT_BALANCE', 'IDEMPOTENCY_CONFLICT'],
    },
    {
      operationId: 'listWithdrawals',
      method: 'get',
      path: '/v1/me/withdrawals',
      tag: 'me',
      summary: 'My withdrawals, newest first',
      auth: 'bearer',
      ok: [{ status: 200, description: 'my withdrawals', schema: WithdrawalListResponse }],
      errors: USER,
    },
    {
      operationId: 'listSwitches',
      method: 'get',
      path: '/admin/switches',
      tag: 'admin',
      summary: 'Every switch (degrade, mock, limit) with its value and last change',
      auth: 'admin',
      ok: [{ status: 200, description: 'the switches', schema: z.object({ switches: z.array(loose) }) }],
      errors: ADMIN,
    },
    {
      operationId: 'setSwitch',
      method: 'put',
      path: '/admin/switches/{kind}/{name}',
      tag: 'admin',
      summary: 'Set a switch: {on} for degrade and mock, {perSecond|null} for limit',
      description: 'Audited, and pushed to every instance.',
      auth: 'admin',
      params: { kind: z.enum(SWITCH_KINDS) },
      body: z.union([ToggleBody, LimitBody]),
      ok: [
        {
          status: 200,
          description: 'the change and the switch now',
          schema: z.object({ change: loose, switch: loose }),
        },
      ],
      errors: ADMIN,
    },
    {
      operationId: 'listAudit',
      method: 'get',
      path: '/admin/audit',
      tag: 'admin',
      summary: 'The switch audit trail, newest first',
      auth: 'admin',
      query: AuditQuery,
      ok: [{ status: 200, description: 'audit entries', schema: z.object({ entries: z.array(loose) }) }],
      errors: ADMIN,
    },
    {
      operationId: 'listMockedOrders',
      method: 'get',
      path: '/admin/mocked-orders',
      tag: 'admin',
      summary: 'Orders answered by a mock (for reconciliation)',
      auth: 'admin',
      query: MockedQuery,
      ok: [{ status: 200, description: 'mocked orders', schema: z.object({ orders: z.array(loose) }) }],
      errors: ADMIN,
    },
  ];
}
