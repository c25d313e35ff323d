import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from './error-handler.js';

function appThrowing(error: unknown) {
  const logged: string[] = [];
  const app = new Hono();
  app.onError(createErrorHandler((msg) => logged.push(msg)));
  app.get('/x', () => {
    throw error;
  });
  return { app, logged };
}

describe('the error handler', () => {
  it('answers a database that cannot be reached (wrapped by drizzle) with 503 DEPENDENCY_FAILED', async () => {
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    const { app, logged } = appThrowing(new Error('Failed query: select …', { cause: lost }));
    const res = await app.request('/x');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DEPENDENCY_FAILED');
    expect(logged).toStrictEqual(['database unreachable']);
  });

  it('still answers a bug with 500 INTERNAL and logs it', async () => {
    const { app, logged } = appThrowing(new TypeError('x is undefined'));
    const res = await app.request('/x');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
    expect(logged).toStrictEqual(['unhandled error']);
  });
});
