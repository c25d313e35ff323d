/**
 * The HTTP plumbing shared by finance's clients: one keep-alive undici Pool, signed requests,
 * bodies always consumed, and every failure turned into a RedpktError with a stable code.
 */
import { Pool } from 'undici';
import type { z } from 'zod';
import { RedpktError, isErrorCode } from '../domain/errors.js';
import type { ErrorCode } from '../domain/errors.js';
import { codeForHttpStatus } from '../server/error-status.js';
import { signRequest } from './signature.js';
import { ErrorBodySchema } from './wire.js';

export interface CallerOptions {
  /** e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  baseUrl: string;
  /** The shared signing secret. */
  secret: string;
  /** Per request, headers and body included. Default 5 s. */
  timeoutMs?: number;
  now?: () => number;
  /** Sent on every request, e.g. `x-redpkt-shadow: 1` for the shadow lane's provider (issue 5). */
  headers?: Readonly<Record<string, string>>;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface Caller {
  /** A signed request; `path` starts with /finance. Throws DEPENDENCY_FAILED when there is no answer. */
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

/** The error an answer carries: 5xx is the provider failing (DEPENDENCY_FAILED), 4xx keeps its code. */
export function errorFromAnswer(answer: Answer): RedpktError {
  const parsed = ErrorBodySchema.safeParse(answer.body);
  const remote = parsed.success ? parsed.data.error : undefined;
  const details = {
    status: answer.status,
    ...(remote ? { providerCode: remote.code } : {}),
    ...remote?.details,
  };
  if (answer.status >= 500) {
    return new RedpktError(
      'DEPENDENCY_FAILED',
      `finance answered ${answer.status}: ${remote?.message ?? 'no details'}`,
      { details: { ...details, dependency: 'finance' } },
    );
  }
  const code: ErrorCode = remote && isErrorCode(remote.code) ? remote.code : codeForHttpStatus(answer.status);
  return new RedpktError(code, remote?.message ?? `finance answered ${answer.status}`, { details });
}

/** The body of a 2xx answer, checked against its schema (a malformed answer is the provider failing). */
export function expectOk<S extends z.ZodType>(answer: Answer, schema: S): z.infer<S> {
  if (answer.status < 200 || answer.status >= 300) throw errorFromAnswer(answer);
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new RedpktError('DEPENDENCY_FAILED', `finance sent an unexpected answer: ${parsed.error.message}`, {
      cause: parsed.error,
      details: { dependency: 'finance' },
    });
  }
  return parsed.data;
}

export function createCaller(opts: CallerOptions): Caller {
  const base = new URL(opts.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const pool = new Pool(base.origin, {
    connections: 64,
    keepAliveTimeout: 10_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  return {
    async send(method, path, body) {
      const fullPath = `${prefix}${path}`;
      const raw = body === undefined ? '' : JSON.stringify(body);
      const headers: Record<string, string> = {
        ...opts.headers,
        ...signRequest(opts.secret, { method, path: fullPath, body: raw }, now()),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let status: number;
      let text: string;
      try {
        const res = await pool.request({
          method,
          path: fullPath,
          headers,
          body: body === undefined ? null : raw,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.statusCode;
        text = await res.body.text(); // always consume, or the connection is not reused
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new RedpktError('DEPENDENCY_FAILED', `finance did not answer ${method} ${path}: ${reason}`, {
          cause: e,
          details: { dependency: 'finance' },
        });
      }
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON: errorFromAnswer / expectOk report it
      }
      return { status, body: parsed };
    },
    close: () => pool.close(),
  };
}
