/**
 * Issue 25: `POST /v1/packets/:id/claims` served on Node's own request and response, ahead of
 * @hono/node-server's Request/Response wrappers and Hono's router, context and middleware chain
 * (about a fifth of a hot claim's CPU in the issue 25 profile), with the same steps in the same
 * order, each the same function the Hono app runs:
 *
 *   observe (request id, request logger)            requestIdOf, requestLogger
 *   degrade gate, endpoint limit                    checkNotDegraded, admitEndpoint
 *   identity (bearer token, the shared token cache) uidOf
 *   the route (id check, limiter, claim, answer)    claimAnswer
 *   error answers, per-packet 429 count             answerError, OpsGates.afterRoute
 *   metrics and the log line                        recordRequest
 *
 * It takes only the plainest form of the request: `POST`, an origin-form path of a plain id and
 * no query, no body (no Content-Length but 0, no Transfer-Encoding), at most one Authorization
 * header. Everything else (a body to limit, percent-encoding, a query, a trailing slash, another
 * method) returns false and goes through Hono unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenVerifier } from '../auth/token-cache.js';
import type { ClaimLimiter } from '../cache/claim-limiter.js';
import type { ServiceDeps } from '../services/deps.js';
import { hasBody } from './body-presence.js';
import { checkNotDegraded } from './middleware/degrade-gate.js';
import { admitEndpoint } from './middleware/endpoint-limit.js';
import { answerError, type Refusal } from './middleware/error-handler.js';
import { uidOf } from './middleware/identity.js';
import { recordRequest, requestIdOf, requestLogger } from './middleware/observe.js';
import type { OpsGates } from './ops-layer.js';
import { CLAIM_ROUTE, claimAnswer } from './routes/packets.js';

/** Serves the request and returns true, or returns false at once and leaves it untouched. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ClaimFastPathInput {
  deps: ServiceDeps;
  /** The Hono app's own token verifier (one memory of verified tokens for both). */
  verify: TokenVerifier;
  limiter?: ClaimLimiter | undefined;
  /** The app's log of unhandled errors (the error handler's). */
  log: (msg: string, err: unknown) => void;
  /** The ops layer's gates, when the app has them (a served app always does). */
  gates?: OpsGates | undefined;
}

/** An id of the packet-id alphabet only (any length: PacketIdParam judges it, as in the route). */
const CLAIM_PATH = /^\/v1\/packets\/([0-9A-Za-z]+)\/claims$/;

export function createClaimFastPath(input: ClaimFastPathInput): NodeHandler {
  const { deps, verify, limiter, log, gates } = input;

  async function answer(req: IncomingMessage, path: string, rawId: string) {
    if (gates) {
      checkNotDegraded(gates.switches, 'claim');
      await admitEndpoint(gates.endpoint, 'claim');
    }
    try {
      const uid = uidOf(verify, req.headers.authorization);
      return { status: 200, body: await claimAnswer(deps, limiter, rawId, uid) };
    } catch (e) {
      const refused = answerError(e, log);
      gates?.afterRoute('POST', path, refused.status);
      return refused;
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, rawId: string) {
    const started = performance.now();
    const requestId = gates ? requestIdOf(header(req, 'x-request-id')) : undefined;
    const reqLog = gates && requestId ? requestLogger(gates.observe, requestId) : undefined;
    let status: number;
    let body: unknown;
    let refusal: Refusal | undefined;
    let extra: Record<string, string> | undefined;
    try {
      const a = await answer(req, path, rawId);
      ({ status, body } = a);
      if ('refusal' in a) ({ refusal, headers: extra } = a);
    } catch (e) {
      const refused = answerError(e, log); // a gate's refusal
      ({ status, body, refusal, headers: extra } = refused);
    }
    writeJson(res, status, JSON.stringify(body), requestId, extra);
    if (gates) {
      const seconds = (performance.now() - started) / 1000;
      recordRequest(gates.observe, reqLog, {
        method: 'POST',
        route: CLAIM_ROUTE,
        path,
        status,
        seconds,
        refusal,
      });
    }
  }

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const path = req.url ?? '';
    const m = CLAIM_PATH.exec(path);
    if (!m?.[1]) return false;
    if (hasBody(req.headers['content-length'], req.headers['transfer-encoding'])) return false;
    if (countHeader(req, 'authorization') > 1) return false; // Node keeps the first, Hono joins them
    serve(req, res, path, m[1]).catch((e: unknown) => {
      // a bug of this path itself (the answer is written above): logged, the connection let go
      log('unhandled error', e);
      if (!res.headersSent) writeJson(res, 500, JSON.stringify(answerError(e, () => {}).body), undefined);
      else res.destroy();
    });
    return true;
  };
}

/** A header's value as Hono's `c.req.header` reads it (Node joins repeats of unknown headers with ", "). */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function countHeader(req: IncomingMessage, lowerName: string): number {
  let n = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) n++;
  }
  return n;
}

/**
 * The answer as the Hono path wrote it: the same header names, values and order (@hono/node-server
 * writes `Content-Type` when the answer has no other header, else Hono's `content-type` first and
 * an explicit `Content-Length` after them; Node adds Date, Connection, Keep-Alive and, for the
 * first, Content-Length). No `writeHead` before `end`: Node then knows the body's length, frames it
 * by Content-Length and sends header and body as one string in one write of the socket.
 */
function writeJson(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string | undefined,
  extra?: Record<string, string>,
): void {
  if (requestId !== undefined) res.setHeader('x-request-id', requestId);
  let plain = true;
  for (const name in extra) {
    if (plain) res.setHeader('content-type', 'application/json');
    plain = false;
    res.setHeader(name, extra[name]!);
  }
  if (plain) res.setHeader('Content-Type', 'application/json');
  else res.setHeader('Content-Length', Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}
