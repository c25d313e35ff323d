import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../../metrics/logger.js';
import type { Metrics } from '../../metrics/create-metrics.js';
import { refusalOf, type Refusal } from './error-handler.js';

export type ObserveEnv = { Variables: { requestId: string; log: Logger } };

/** A client's own request id is kept when it is short and plain; otherwise one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The matched route pattern, never the raw path (no packet ids in metric labels): the last
 * matched handler of a method (middleware is registered for ALL). A request a gate refused still
 * counts under the route it asked for.
 */
function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i];
    if (r && r.method !== 'ALL') return r.path;
  }
  return 'unmatched';
}

/** Node's response, when the app is served by the Node listener (its env); none under app.fetch in tests. */
function nodeResponse(env: unknown): ServerResponse | undefined {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse ? outgoing : undefined;
}

/** The request id: the client's own (`x-request-id`) when it is short and plain, else a new one. */
export function requestIdOf(given: string | undefined): string {
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export interface ObserveOptions {
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
}

/** The request's child logger (carrying its id), when the logger writes at all. */
export function requestLogger(opts: ObserveOptions, requestId: string): Logger | undefined {
  return opts.logger?.isLevelEnabled('error') ? opts.logger.child({ reqId: requestId }) : undefined;
}

/** A finished request: its count and latency in the metrics, and its one log line. */
export function recordRequest(
  opts: ObserveOptions,
  log: Logger | undefined,
  done: {
    method: string;
    route: string;
    path: string;
    status: number;
    seconds: number;
    refusal?: Refusal | undefined;
  },
): void {
  const { method, route, path, status, seconds } = done;
  opts.metrics?.observeRequest(method, route, status, seconds);
  if (!log) return;
  const line = { method, route, path, status, ms: Math.round(seconds * 10_000) / 10 };
  // 503 is a degraded endpoint or a dependency down: expected while it lasts, not a bug. Its
  // line says which dependency and why (issue 17 item 6), as every refusal's says its code.
  const refusal = status >= 400 ? done.refusal : undefined;
  const full = refusal ? { ...line, ...refusal } : line;
  if (status >= 500 && status !== 503) log.error(full, 'request failed');
  else if (status >= 500)
    log.warn(
      full,
      refusal?.code === 'DEPENDENCY_FAILED'
        ? `request refused: ${refusal.dependency ?? 'a dependency'} failed`
        : `request refused: ${refusal?.code ?? status}`,
    );
  else log.info(full, 'request');
}

/**
 * Outermost middleware: gives every request an id (`x-request-id`, echoed or generated, also on
 * the response), a child logger carrying it (`c.get('log')`), one JSON log line when it ends
 * (5xx at error, the rest at info), and its count and latency in the metrics.
 */
export function observeRequests(opts: ObserveOptions): MiddlewareHandler<ObserveEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    // On Node's response when this runs under the Node listener: cheap, and written with the
    // answer's own headers. Reading `c.res.headers` instead makes @hono/node-server build a WHATWG
    // Headers object (webidl conversions, then copied back out) for every request.
    const outgoing = nodeResponse(c.env);
    outgoing?.setHeader('x-request-id', requestId);
    const log = requestLogger(opts, requestId);
    if (log) c.set('log', log);
    await next();
    if (!outgoing) {
      try {
        // In place: `c.header()` after the handler copies the whole response (a new stream-backed
        // Response per request, a visible share of a claim's CPU in the issue 6 profile).
        c.res.headers.set('x-request-id', requestId);
      } catch {
        c.header('x-request-id', requestId); // immutable headers (a Response from fetch)
      }
    }
    const status = c.res.status;
    recordRequest(opts, log, {
      method: c.req.method,
      route: routeOf(c),
      path: c.req.path,
      status,
      seconds: (performance.now() - started) / 1000,
      refusal: status >= 400 ? refusalOf(c) : undefined,
    });
  };
}
