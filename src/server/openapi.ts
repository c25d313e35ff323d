import { z } from 'zod';
import {
  BalanceResponse,
  CreateB2cBody,
  CreateB2cResponse,
  SubsidyListResponse,
  WithdrawBody,
  WithdrawalListResponse,
  WithdrawalResponse,
} from './subsidy-schemas.js';
import {
  ClaimListResponse,
  ClaimResponse,
  CreateC2cBody,
  CreateC2cResponse,
  ErrorResponse,
  PacketResponse,
} from './schemas.js';

interface Op {
  method: 'get' | 'post';
  path: string;
  summary: string;
  auth?: 'bearer' | 'signature' | 'none';
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType };
  errors?: string[];
}

const OPS: Op[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: 'none', ok: { status: 200 } },
  {
    method: 'post',
    path: '/v1/c2c/packets',
    summary: 'Create an unpaid C2C packet and its payment order (idempotent by outOrderNo)',
    body: CreateC2cBody,
    ok: { status: 201, schema: CreateC2cResponse },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'IDEMPOTENCY_CONFLICT', 'DEPENDENCY_FAILED'],
  },
  {
    method: 'get',
    path: '/v1/packets/{id}',
    summary: 'Packet detail',
    ok: { status: 200, schema: PacketResponse },
    errors: ['PACKET_NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/packets/{id}/claims',
    summary: 'Claim a share (the same claimer again gets the same claim)',
    ok: { status: 200, schema: ClaimResponse },
    errors: ['PACKET_NOT_FOUND', 'PACKET_NOT_ACTIVE', 'PACKET_EXHAUSTED', 'PACKET_EXPIRED'],
  },
  {
    method: 'get',
    path: '/v1/packets/{id}/claims',
    summary: 'Every claim with the best-luck marker',
    ok: { status: 200, schema: ClaimListResponse },
    errors: ['PACKET_NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/callbacks/finance',
    summary: 'Signed order events from the payment provider',
    auth: 'signature',
    ok: { status: 200 },
    errors: ['INVALID_SIGNATURE', 'VALIDATION_FAILED'],
  },
  // issue 3: B2C subsidies
  {
    method: 'get',
    path: '/v1/subsidies',
    summary: "My subsidies: the issuer's tokens merged with booked ones; partial when the issuer is down",
    ok: { status: 200, schema: SubsidyListResponse },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'post',
    path: '/v1/b2c/packets',
    summary: 'Send an active B2C packet funded by a subsidy token (idempotent by outOrderNo)',
    body: CreateB2cBody,
    ok: { status: 201, schema: CreateB2cResponse },
    errors: [
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'SUBSIDY_INVALID',
      'SUBSIDY_NOT_OWNER',
      'SUBSIDY_EXPIRED',
      'SUBSIDY_USED',
      'SUBSIDY_CONFLICT',
      'IDEMPOTENCY_CONFLICT',
    ],
  },
  {
    method: 'get',
    path: '/v1/me/balance',
    summary: 'My withdrawable subsidy balance (held: on its way to the wallet)',
    ok: { status: 200, schema: BalanceResponse },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'post',
    path: '/v1/me/withdrawals',
    summary: 'Withdraw subsidy balance to the wallet through a finance transfer (idempotent by outOrderNo)',
    body: WithdrawBody,
    ok: { status: 201, schema: WithdrawalResponse },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'INSUFFICIENT_BALANCE', 'IDEMPOTENCY_CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/me/withdrawals',
    summary: 'My withdrawals, newest first',
    ok: { status: 200, schema: WithdrawalListResponse },
    errors: ['UNAUTHENTICATED'],
  },
];

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const responses: Record<string, unknown> = {
      [op.ok.status]: { description: 'ok', ...(op.ok.schema ? { content: json(op.ok.schema) } : {}) },
    };
    if (op.errors?.length) {
      responses.default = { description: `error: ${op.errors.join(', ')}`, content: json(ErrorResponse) };
    }
    const auth = op.auth ?? 'bearer';
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      ...(auth === 'bearer' ? { security: [{ bearer: [] }] } : { security: [] }),
      ...(op.path.includes('{id}')
        ? { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] }
        : {}),
      ...(op.body ? { requestBody: { required: true, content: json(op.body) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'redpkt packet service', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
