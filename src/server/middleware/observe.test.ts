import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { RedpktError } from '../../domain/errors.js';
import { createLogger } from '../../metrics/logger.js';
import { createErrorHandler } from './error-handler.js';
import { observeRequests } from './observe.js';

describe('the request log', () => {
  it("names a 503's failed dependency and why, and never sends the dependency to the client", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = new Hono();
    app.onError(createErrorHandler(() => {}));
    app.use('*', observeRequests({ logger: createLogger('info', sink) }));
    app.get('/x', () => {
      throw new RedpktError('DEPENDENCY_FAILED', 'finance did not answer POST /finance/pay-orders', {
        cause: new Error('connect ECONNREFUSED 127.0.0.1:9'),
        details: { dependency: 'finance' },
      });
    });
    const res = await app.request('/x');
    expect(res.status).toBe(503);
    expect(await res.json()).toStrictEqual({
      error: { code: 'DEPENDENCY_FAILED', message: 'finance did not answer POST /finance/pay-orders' },
    });
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      msg: 'request refused: finance failed',
      code: 'DEPENDENCY_FAILED',
      dependency: 'finance',
      reason: 'finance did not answer POST /finance/pay-orders (connect ECONNREFUSED 127.0.0.1:9)',
      status: 503,
    });
  });
});
