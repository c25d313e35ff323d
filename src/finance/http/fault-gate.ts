/**
 * The knobs and counters in front of every finance route: count the request, add latency, fail
 * before doing anything, or do the work and then fail. Admin routes are counted but never faulted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { errorResponse } from '../../server/middleware/error-handler.js';
import type { Knobs } from '../knobs.js';
import type { Random } from '../random.js';
import { chance } from '../random.js';
import type { Stats } from '../stats.js';

export const ADMIN_PREFIX = '/finance/admin/';

export function countRequests(stats: Stats): MiddlewareHandler {
  return async (c, next) => {
    try {
      await next();
    } finally {
      stats.record(`${c.req.method} ${routePath(c, -1)}`, c.res.status);
    }
  };
}

export function faultGate(knobs: Knobs, random: Random): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.startsWith(ADMIN_PREFIX)) return next();
    const k = knobs.get();
    if (k.latencyMs > 0) await sleep(k.latencyMs);
    if (chance(random, k.failureRate)) {
      return errorResponse(c, 'DEPENDENCY_FAILED', 'finance is unavailable (injected failure)');
    }
    await next();
    if (c.res.status < 400 && chance(random, k.failAfterCommitRate)) {
      // Clear first: assigning over a response would carry its headers into the new one.
      c.res = undefined;
      c.res = errorResponse(c, 'DEPENDENCY_FAILED', 'finance failed after committing (injected failure)');
    }
    return undefined;
  };
}
