/** One operation of /openapi.json, described from the zod schemas its route validates with. */
import type { z } from 'zod';
import type { ErrorCode } from '../domain/errors.js';

export type OpAuth = 'bearer' | 'admin' | 'callback' | 'finance' | 'none';

export interface OpAnswer {
  status: number;
  description: string;
  /** A JSON answer's schema; absent with `contentType`, or for an answer without a body. */
  schema?: z.ZodType;
  contentType?: string;
}

export interface Op {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: `/v1/packets/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: OpAuth;
  body?: z.ZodType;
  /** Query parameters, from the schema the route parses them with. */
  query?: z.ZodObject;
  /** Path parameters' schemas by name; a string otherwise. */
  params?: Record<string, z.ZodType>;
  /** The success answers (an idempotent replay's 200 beside the first answer's 201). */
  ok: OpAnswer[];
  /** Every error code the operation can answer; grouped by HTTP status in the document. */
  errors: ErrorCode[];
}
