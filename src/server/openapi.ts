import { z } from 'zod';
import { AuditQuery, LimitBody, MockedQuery, ToggleBody } from './admin-schemas.js';
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
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  auth?: 'bearer' | 'signature' | 'admin' | 'none';
  body?: z.ZodType;
  /** Query parameters, from the schema the route parses them with. */
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; contentType?: string };
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
  // issue 7: the operators' API (admin key) and the Prometheus scrape
  {
    method: 'get',
    path: '/admin/switches',
    summary: 'Every switch (degrade, mock, limit) with its value and last change',
    auth: 'admin',
    ok: { status: 200 },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'put',
    path: '/admin/switches/{kind}/{name}',
    summary:
      'Set a switch ({on} for degrade and mock, {perSecond|null} for limit); audited, pushed to every instance',
    auth: 'admin',
    body: z.union([ToggleBody, LimitBody]),
    ok: { status: 200 },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/admin/audit',
    summary: 'The switch audit trail, newest first',
    auth: 'admin',
    query: AuditQuery,
    ok: { status: 200 },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/admin/mocked-orders',
    summary: 'Orders answered by a mock (for reconciliation)',
    auth: 'admin',
    query: MockedQuery,
    ok: { status: 200 },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (requests, latency, claims/transfers/refunds by state, queues, switches)',
    auth: 'none',
    ok: { status: 200, contentType: 'text/plain' },
  },
];

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const content = op.ok.schema
      ? { content: json(op.ok.schema) }
      : op.ok.contentType
        ? { content: { [op.ok.contentType]: { schema: { type: 'string' } } } }
        : {};
    const responses: Record<string, unknown> = { [op.ok.status]: { description: 'ok', ...content } };
    if (op.errors?.length) {
      responses.default = { description: `error: ${op.errors.join(', ')}`, content: json(ErrorResponse) };
    }
    const auth = op.auth ?? 'bearer';
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: z.toJSONSchema(schema as z.ZodType, { io: 'input' }),
      })),
    ];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security: auth === 'bearer' ? [{ bearer: [] }] : auth === 'admin' ? [{ adminKey: [] }] : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: json(op.body) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'redpkt packet service', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        adminKey: { type: 'apiKey', in: 'header', name: 'x-admin-key' },
      },
    },
    paths,
  };
}
