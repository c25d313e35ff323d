/**
 * The OpenAPI 3.1 document (`GET /openapi.json`), generated from the same zod schemas the routes
 * validate with and the limits the server runs with (`serve --max-*`), so the contract and the
 * server cannot disagree (issue 18). `npm run lint` lints it with Redocly's recommended rules;
 * test/http/openapi-conformance.test.ts checks real answers against it.
 */
import { z } from 'zod';
import type { ErrorCode } from '../domain/errors.js';
import { DEFAULT_LIMITS, type PacketLimits } from '../domain/limits.js';
import { financeOps } from '../finance/http/openapi-ops.js';
import { httpStatusFor } from './error-status.js';
import type { Op, OpAuth } from './openapi-op.js';
import { packetServiceOps } from './openapi-ops.js';
import { ValidationDetails } from './schemas.js';

export interface OpenApiOptions {
  version?: string;
  limits?: PacketLimits;
  /** The server's own address (`servers`); a relative `/` when not known. */
  serverUrl?: string;
}

const TAGS = [
  { name: 'packets', description: 'C2C send, claim, packet detail and claim list' },
  { name: 'subsidies', description: 'B2C: my subsidies and packets funded by one' },
  { name: 'me', description: 'My subsidy balance and withdrawals to the wallet' },
  { name: 'callbacks', description: "The payment provider's signed order events" },
  { name: 'admin', description: "The operators' API: switches, their audit trail, mocked orders" },
  { name: 'ops', description: 'Liveness, this document, Prometheus metrics' },
  { name: 'finance', description: "The simulated provider's signed service API (served under /finance)" },
  { name: 'finance-admin', description: "The simulated provider's signed runtime control" },
  { name: 'finance-user', description: "The simulated provider's calls a user makes with their own token" },
];

const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256, iat and exp required' },
  adminKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-admin-key',
    description: 'the admin key (`redpkt admin-key`)',
  },
  financeSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'x-finance-signature',
    description:
      'hex HMAC-SHA256 with the finance secret of `${x-finance-timestamp}.${METHOD}\\n${path?query}\\n${body}` ' +
      '(with an `x-finance-nonce` header: `...\\n${nonce}` after the body). The timestamp (epoch ms) is ' +
      'within 5 minutes of the server clock; a signed write is accepted once (a replay is 401 INVALID_SIGNATURE).',
  },
  financeTimestamp: {
    type: 'apiKey',
    in: 'header',
    name: 'x-finance-timestamp',
    description: 'epoch ms of the signature',
  },
  callbackSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'x-finance-signature',
    description: 'hex HMAC-SHA256 with the finance secret of `${x-finance-timestamp}.${rawBody}`',
  },
};

const SECURITY: Record<OpAuth, Record<string, string[]>[]> = {
  bearer: [{ bearer: [] }],
  admin: [{ adminKey: [] }],
  finance: [{ financeSignature: [], financeTimestamp: [] }],
  callback: [{ callbackSignature: [], financeTimestamp: [] }],
  none: [],
};

const REASONS: Record<number, string> = {
  400: 'bad input',
  401: 'not authenticated',
  403: 'forbidden',
  404: 'not found',
  408: 'request not received in time',
  409: 'conflict',
  410: 'gone',
  429: 'rate limited',
  503: 'unavailable, retry',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

/** Every error answer's body; each response narrows `error.code` to the codes it can carry. */
const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        retryAfterMs: {
          type: 'integer',
          minimum: 0,
          description: 'when to try again (also Retry-After, in seconds): 429 and 503 answers',
        },
        details: { type: 'object', description: 'for VALIDATION_FAILED: a ValidationDetails' },
      },
    },
  },
};

function errorSchema(codes: ErrorCode[]): Record<string, unknown> {
  const details = codes.includes('VALIDATION_FAILED')
    ? { details: { $ref: '#/components/schemas/ValidationDetails' } }
    : {};
  return {
    allOf: [
      { $ref: '#/components/schemas/ErrorBody' },
      { properties: { error: { properties: { code: { enum: codes }, ...details } } } },
    ],
  };
}

function responsesOf(op: Op): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const a of op.ok) {
    const content = a.schema
      ? { 'application/json': { schema: jsonSchema(a.schema, 'output') } }
      : a.contentType
        ? { [a.contentType]: { schema: { type: 'string' } } }
        : undefined;
    responses[String(a.status)] = { description: a.description, ...(content ? { content } : {}) };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(op.errors)) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${REASONS[status] ?? 'error'}: ${codes.join(', ')}`,
      ...(status === 429 || status === 503
        ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/json': { schema: errorSchema(codes) } },
    };
  }
  return responses;
}

function parametersOf(op: Op): Record<string, unknown>[] {
  return [
    ...[...op.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
      name,
      in: 'path',
      required: true,
      schema: op.params?.[name] ? jsonSchema(op.params[name], 'input') : { type: 'string' },
    })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: jsonSchema(schema as z.ZodType, 'input'),
    })),
  ];
}

/** Every operation this server answers: the packet service's and the mounted finance's. */
export function allOps(limits: PacketLimits = DEFAULT_LIMITS): Op[] {
  return [...packetServiceOps(limits), ...financeOps()];
}

export function openApiDocument(opts: OpenApiOptions = {}) {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of allOps(limits)) {
    const parameters = parametersOf(op);
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: SECURITY[op.auth],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      responses: responsesOf(op),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'redpkt packet service',
      version: opts.version ?? '0.1.0',
      description:
        'Money is integer fen. Every error is `{"error":{"code","message"}}`. Limits in this document ' +
        `are the server's own: at most ${limits.maxCount} shares and ${limits.maxAmount} fen a packet, ` +
        `an average share of at most ${limits.maxShare} fen. A request whose headers or body do not ` +
        'arrive in time is answered 408 REQUEST_TIMEOUT and its connection closed; a body over 64 KiB ' +
        'is 400 VALIDATION_FAILED with `Connection: close`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: opts.serverUrl ?? '/', description: 'this server' }],
    tags: TAGS,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { ErrorBody: ERROR_BODY, ValidationDetails: jsonSchema(ValidationDetails, 'output') },
    },
    paths,
  };
}
