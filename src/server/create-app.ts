import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createTokenVerifier } from '../auth/token-cache.js';
import { tokenPolicy } from '../auth/tokens.js';
import type { ClaimLimiter } from '../cache/claim-limiter.js';
import type { ServiceDeps } from '../services/deps.js';
import { hasBody } from './body-presence.js';
import { createClaimFastPath, type NodeHandler } from './claim-fast-path.js';
import { createErrorHandler, notFound } from './middleware/error-handler.js';
import { openApiDocument } from './openapi.js';
import { installOpsLayer, type OpsAppOptions } from './ops-layer.js';
import { callbackRoutes } from './routes/callbacks.js';
import { meRoutes } from './routes/me.js';
import { packetRoutes } from './routes/packets.js';
import { subsidyRoutes } from './routes/subsidies.js';

export interface AppOptions {
  deps: ServiceDeps;
  /** Verifies users' bearer tokens. */
  jwtSecret: string;
  /** Issue 18: the longest bearer-token lifetime accepted (seconds); DEFAULT_MAX_TOKEN_LIFETIME_SEC when absent. */
  maxTokenLifetimeSec?: number | undefined;
  /**
   * Issue 24: the time bearer tokens are checked at (the simulation's clock); absent: Date.now.
   * Not `deps.now`, which tests freeze while they mint tokens on the real clock.
   */
  tokenNow?: () => number;
  /** Verifies finance's callback signatures. */
  signSecret: string;
  version?: string;
  /** Issue 18: this server's address, for the `servers` of /openapi.json. */
  serverUrl?: string;
  log?: (msg: string, err: unknown) => void;
  /** The per-packet claim limiter (in process or Redis); none: claims are not limited. */
  limiter?: ClaimLimiter;
  /**
   * Extra apps served beside the packet API under their own path prefix (the simulated finance
   * at `/finance` in the all-in-one server). Each keeps its own router, error handler and 404.
   */
  mount?: { prefix: `/${string}`; app: Hono }[];
  /**
   * Issue 7: request ids, JSON logs, /metrics, the /admin API, the degrade gate and the endpoint
   * limiter (src/server/ops-layer.ts). Absent: none of them (apps built in tests).
   */
  ops?: OpsAppOptions;
}

export function createApp(opts: AppOptions): Hono {
  return createHttpApp(opts).app;
}

/**
 * The Hono app, and the claim's fast path over the same dependencies, token cache and ops gates
 * (src/server/claim-fast-path.ts): a Node listener serves the claims it takes before the app.
 */
export function createHttpApp(opts: AppOptions): { app: Hono; claimFastPath: NodeHandler } {
  const app = new Hono();
  const log = opts.log ?? ((msg, err) => console.error(msg, err));
  app.onError(createErrorHandler(log));
  app.notFound(notFound);
  // issue 7: before any route
  const gates = opts.ops ? installOpsLayer(app, opts.ops, opts.jwtSecret) : undefined;
  const limitBody = bodyLimit({ maxSize: 64 * 1024 });
  // Only requests that carry a body (HTTP/1.1: Content-Length or Transfer-Encoding). bodyLimit
  // reads `c.req.raw.body`, which makes @hono/node-server build a full WHATWG Request (abort
  // signal, stream) for every request: about a third of a body-less claim's CPU (issue 6 profile).
  app.use('*', (c, next) =>
    hasBody(c.req.header('content-length'), c.req.header('transfer-encoding')) ? limitBody(c, next) : next(),
  );
  app.get('/healthz', (c) => c.json({ ok: true }));
  // built on the first request for it: a process that never serves it (the simulation starts
  // one at every crash, issue 24) does not pay for the document
  let doc: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', (c) =>
    c.json(
      (doc ??= openApiDocument({
        version: opts.version ?? '0.1.0',
        limits: opts.deps.limits,
        ...(opts.serverUrl ? { serverUrl: opts.serverUrl } : {}),
      })),
    ),
  );
  // Handed over whole rather than merged with `app.route`: one finance route shape
  // (`/finance/rain/:campaign/draw` beside `/finance/rain/returns`) is one Hono's RegExpRouter
  // cannot compile, and merged it would push every request, claims included, onto the slower
  // TrieRouter (~3% of a claim's CPU in the issue 6 profile). Metrics label these `<prefix>/*`.
  for (const { prefix, app: extra } of opts.mount ?? [])
    app.on(MOUNTED_METHODS, `${prefix}/*`, (c) => extra.fetch(c.req.raw, c.env));
  app.route('/', callbackRoutes(opts.deps, opts.signSecret));
  // one memory of verified tokens for every route
  const verify = createTokenVerifier(opts.jwtSecret, {
    ...tokenPolicy(opts.maxTokenLifetimeSec),
    ...(opts.tokenNow ? { now: opts.tokenNow } : {}),
  });
  app.route('/', packetRoutes(opts.deps, verify, opts.limiter));
  // issue 3: B2C subsidies, where this process serves them
  if (opts.deps.subsidy) {
    app.route('/', subsidyRoutes(opts.deps, verify, log, opts.limiter));
    app.route('/', meRoutes(opts.deps, verify, log));
  }
  const claimFastPath = createClaimFastPath({ deps: opts.deps, verify, limiter: opts.limiter, log, gates });
  return { app, claimFastPath };
}

const MOUNTED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
