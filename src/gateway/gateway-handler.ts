/**
 * The gateway's request handler: `GET /healthz` is its own; every other request is forwarded to a
 * core as it came (method, path, query, headers, body) and the core's answer goes back as it
 * came (status, headers, body) plus `x-redpkt-core: <origin>`, the core that answered.
 *
 * Where a request goes: one that names a packet (`/v1/packets/:id…`) to the packet's top-ranked
 * core that is up (rendezvous hashing, src/gateway/rendezvous.ts), so that core's per-packet
 * claim queue is the only place the packet's claims meet; any other request round robin over the
 * cores that are up. When an attempt fails the core set is told (src/gateway/core-set.ts: a
 * refused connection, a run of failures or a failed health check takes the core out) and the
 * request goes to the next core in the ranking if that is safe: always when nothing was written
 * to the failed core, otherwise only for requests that are idempotent (src/gateway/request-class.ts).
 * No core up, or an unsafe request lost with a core: `503 DEPENDENCY_FAILED`. A path holding a
 * percent-encoded byte is refused (400 VALIDATION_FAILED, see request-class.ts). `GET /metrics`
 * is the gateway's own when it is given metrics (./gateway-metrics.ts).
 *
 * Issue 21: behind a Node listener (src/runtime/http-listener.ts) the request's headers and body
 * are read from Node's own request (`env.incoming`), and the answer is built with plain header
 * objects: @hono/node-server then never materialises a WHATWG Request (its Headers, AbortSignal
 * and body stream) nor a Headers for the answer, which were most of the gateway's CPU per claim
 * in `npm run bench:fleet` (docs/performance.md).
 */
import { SHADOW_HEADER } from '../domain/ids.js';
import type { NodeBindings } from '../runtime/http-listener.js';
import { readinessResponse } from '../runtime/readiness.js';
import type { Metrics } from '../metrics/create-metrics.js';
import type { ClaimGate } from './claim-gate.js';
import type { CoreSet } from './core-set.js';
import { errorText } from './core-set.js';
import { errorAnswer } from './error-answer.js';
import { forward, type Attempt, type OutgoingRequest } from './forward.js';
import { gatewayRoute } from './gateway-metrics.js';
import { classifyRequest, hasEncodedByte, type RequestClass } from './request-class.js';
import type { CoreRouter } from './core-router.js';

/** The response header naming the core that answered. */
export const CORE_HEADER = 'x-redpkt-core';
/** The cores refuse bodies above 64 KiB; the gateway refuses them before buffering more. */
const MAX_BODY_BYTES = 64 * 1024;
/** The sends whose answer teaches the claim limiter a new packet's share count. */
const SEND_PATHS: ReadonlySet<string> = new Set(['/v1/c2c/packets', '/v1/b2c/packets']);

/** Per-hop headers (RFC 9110 §7.6.1) and those undici sets itself: never forwarded either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

export interface GatewayHandlerOptions {
  cores: CoreSet;
  /** Which cores a request goes to, in order (./core-router.ts: rendezvous, cells). */
  router: CoreRouter;
  /** Identity + per-packet limiter in front of claims; absent: claims go straight to the core. */
  claimGate?: ClaimGate | undefined;
  /** Served at `GET /metrics` and told of every answer; absent: no /metrics (it goes to a core). */
  metrics?: Metrics | undefined;
  /** Issue 21: more for `GET /healthz` (the supervisor's processes). */
  describe?: (() => Record<string, unknown>) | undefined;
}

/** What the gateway reads of a request beside its method and URL: its headers, and its body. */
interface Incoming {
  /** Lower-case names; a repeated header's values joined with `, ` (as WHATWG Headers does). */
  headers: Record<string, string>;
  body(): Promise<Uint8Array | null | Response>;
}

export function createGatewayHandler(
  opts: GatewayHandlerOptions,
): (req: Request, env?: NodeBindings) => Promise<Response> {
  const { cores, router, claimGate, metrics, describe } = opts;

  if (metrics) {
    return async function observed(req: Request, env?: NodeBindings): Promise<Response> {
      const url = new URL(req.url);
      // the gateway's own; never forwarded (a HEAD probe gets the headers GET would, no body)
      if (url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
        const body = await metrics.render();
        const headers = {
          'content-type': metrics.contentType,
          'content-length': String(Buffer.byteLength(body)),
        };
        return new Response(req.method === 'HEAD' ? null : body, { headers });
      }
      const started = performance.now();
      const cls = classifyRequest(req.method, url.pathname);
      const res = await handle(req, url, cls, env);
      const route = gatewayRoute(url.pathname, cls);
      metrics.observeRequest(req.method, route, res.status, (performance.now() - started) / 1000);
      return res;
    };
  }
  return (req, env) => {
    const url = new URL(req.url);
    return handle(req, url, classifyRequest(req.method, url.pathname), env);
  };

  /** `cls`: the request's class, read once for routing and for the metrics' route label. */
  async function handle(req: Request, url: URL, cls: RequestClass, env?: NodeBindings): Promise<Response> {
    const method = req.method;
    if (url.pathname === '/healthz' && (method === 'GET' || method === 'HEAD'))
      return health(cores, router, claimGate, describe);
    if (url.pathname === '/readyz' && (method === 'GET' || method === 'HEAD')) return ready(cores, method);
    // Classified and forwarded as is, so a path must mean to the core what it means here: one with
    // a percent-encoded byte would not (Hono decodes it before routing; request-class.ts).
    if (hasEncodedByte(url.pathname)) {
      return errorAnswer(
        'VALIDATION_FAILED',
        'percent-encoded bytes are not accepted in the path; no route of this API needs them',
      );
    }
    const incoming = env ? fromNode(env.incoming) : fromFetch(req);
    const shadow = incoming.headers[SHADOW_HEADER] === '1';
    if (cls.claim && claimGate && cls.packetId !== undefined) {
      const refused = await claimGate.admit(incoming.headers.authorization, cls.packetId, shadow);
      if (refused?.status === 429) metrics?.limiterRejected('packet', '/v1/packets/:id/claims');
      if (refused) return refused;
    }
    const body = method === 'GET' || method === 'HEAD' ? null : await incoming.body();
    if (body instanceof Response) return body;
    const out: OutgoingRequest = {
      method,
      path: url.pathname + url.search,
      headers: forwardHeaders(incoming.headers),
      body,
    };

    const order = router.candidates(cls.packetId);
    if (order.length === 0) return errorAnswer('DEPENDENCY_FAILED', 'no core is up; retry shortly', 1_000);
    let lastFailure = '';
    for (const i of order) {
      if (!cores.isUp(i)) continue; // went down while an earlier attempt ran
      cores.countForward(i);
      const attempt: Attempt = await forward(cores.pool(i), out);
      if (attempt.kind === 'answer') {
        cores.answered(i);
        if (claimGate && cls.packetId !== undefined && attempt.status < 500) {
          const kind = cls.claim
            ? 'claim'
            : method === 'GET' && url.pathname === `/v1/packets/${cls.packetId}`
              ? 'detail'
              : undefined;
          if (kind)
            claimGate.learn(cls.packetId, shadow, { kind, status: attempt.status, body: attempt.body });
        }
        if (claimGate && method === 'POST' && SEND_PATHS.has(url.pathname))
          claimGate.learnSend(shadow, attempt.status, attempt.body);
        return answer(attempt, cores.origins[i]!, method);
      }
      if (codeOf(attempt.error) === 'UND_ERR_INVALID_ARG') {
        return errorAnswer(
          'VALIDATION_FAILED',
          `the request cannot be forwarded: ${errorText(attempt.error)}`,
        );
      }
      lastFailure = `${cores.origins[i]}: ${errorText(attempt.error)}`;
      cores.failed(i, lastFailure, !attempt.sent && codeOf(attempt.error) === 'ECONNREFUSED');
      if (attempt.sent && !cls.retrySafe) {
        return errorAnswer(
          'DEPENDENCY_FAILED',
          `the core failed after the request reached it (${lastFailure}); it may or may not have been done, and it is not safe to send again`,
        );
      }
    }
    return errorAnswer('DEPENDENCY_FAILED', `no core answered (last: ${lastFailure}); retry shortly`, 1_000);
  }
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function forwardHeaders(incoming: Record<string, string>): Record<string, string> {
  // headers the client named in Connection are per-hop too (a set of their own only then)
  let dropped = HOP_BY_HOP;
  const named = incoming.connection;
  if (named !== undefined) {
    dropped = new Set(HOP_BY_HOP);
    for (const name of named.split(',')) dropped.add(name.trim().toLowerCase());
  }
  const out: Record<string, string> = {};
  for (const name in incoming) if (!dropped.has(name)) out[name] = incoming[name]!;
  return out;
}

const tooLarge = () => errorAnswer('VALIDATION_FAILED', 'request body too large');
const EMPTY = new Uint8Array(0);

/** A request as Node's listener received it: its raw headers, its body read off the stream. */
function fromNode(req: NodeBindings['incoming']): Incoming {
  const headers: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let k = 0; k < raw.length; k += 2) {
    const name = raw[k]!.toLowerCase();
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    const prior = headers[name];
    headers[name] = prior === undefined ? raw[k + 1]! : `${prior}, ${raw[k + 1]!}`;
  }
  const body = (): Promise<Uint8Array | Response> => {
    const declared = headers['content-length'];
    if (Number(declared ?? '0') > MAX_BODY_BYTES) return Promise.resolve(tooLarge());
    // neither a length nor chunks: HTTP/1.1 says there is no body (RFC 9112 §6.3)
    if (declared === '0' || (declared === undefined && headers['transfer-encoding'] === undefined))
      return Promise.resolve(EMPTY);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (chunk: Buffer) => {
        if (refused) return; // the rest is read and dropped; the answer is given already
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) {
          refused = true;
          chunks.length = 0;
          resolve(tooLarge());
        } else chunks.push(chunk);
      });
      req.once('end', () => resolve(Buffer.concat(chunks)));
      req.once('error', reject);
    });
  };
  return { headers, body };
}

/** A WHATWG request (the handler called without a Node listener, e.g. by a test). */
function fromFetch(req: Request): Incoming {
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { headers, body: () => readBody(req) };
}

async function readBody(req: Request): Promise<Uint8Array | null | Response> {
  if (req.body === null) return null;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function answer(attempt: Extract<Attempt, { kind: 'answer' }>, origin: string, method: string): Response {
  // a plain object: @hono/node-server writes it to Node's response as it is, where a Headers would
  // be converted back header by header. A repeated header (an array, e.g. set-cookie) needs Headers.
  let repeated = false;
  const plain: Record<string, string> = {};
  for (const name in attempt.headers) {
    if (HOP_BY_HOP.has(name)) continue;
    const value = attempt.headers[name]!;
    if (Array.isArray(value)) repeated = true;
    else plain[name] = value;
  }
  plain[CORE_HEADER] = origin;
  let headers: Record<string, string> | Headers = plain;
  if (repeated) {
    const all = new Headers(plain);
    for (const name in attempt.headers) {
      const value = attempt.headers[name]!;
      if (Array.isArray(value) && !HOP_BY_HOP.has(name)) for (const v of value) all.append(name, v);
    }
    headers = all;
  }
  const empty = method === 'HEAD' || attempt.status === 204 || attempt.status === 304;
  return new Response(empty ? null : attempt.body, { status: attempt.status, headers });
}

/**
 * Issue 19: the gateway is ready while at least one core is up by its health check (which asks
 * each core's own readiness once the core set probes `/readyz`): a gateway with no core to send
 * to takes no traffic. The same `{ status, checks }` shape as a core's `/readyz`.
 */
function ready(cores: CoreSet, method: string): Response {
  const states = cores.states();
  const up = states.filter((s) => s.up).length;
  const notUp = states.filter((s) => !s.up).map((s) => `${s.origin}: ${s.reason ?? 'down'}`);
  return readinessResponse(
    {
      status: up > 0 ? 'ready' : 'not_ready',
      checks: {
        cores: {
          ok: up > 0,
          detail: `${up} of ${states.length} up${notUp.length > 0 ? `; ${notUp.join('; ')}` : ''}`,
          up,
          of: states.length,
        },
      },
    },
    method,
  );
}

function health(
  cores: CoreSet,
  router: CoreRouter,
  claimGate: ClaimGate | undefined,
  describe: (() => Record<string, unknown>) | undefined,
): Response {
  const states = cores.states();
  const ok = states.some((s) => s.up);
  const cells = router.cells();
  const body = {
    ok,
    role: 'gateway',
    cores: states.map((s, i) => ({
      url: s.origin,
      ...(cells.length > 0 ? { cell: router.cellOf(i) } : {}),
      up: s.up,
      since: new Date(s.since).toISOString(),
      ...(s.reason ? { reason: s.reason } : {}),
      forwarded: s.forwarded,
    })),
    ...(cells.length > 0 ? { cells } : {}),
    claimLimiter: claimGate ? { on: true, bypassed: claimGate.bypassed() } : { on: false },
    ...describe?.(),
  };
  return new Response(JSON.stringify(body), {
    status: ok ? 200 : 503,
    headers: { 'content-type': 'application/json' },
  });
}
