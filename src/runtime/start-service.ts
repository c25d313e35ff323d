import type { ClaimPath } from '../core/claim-coalescer.js';
import type { PacketLimits } from '../domain/limits.js';
import type { GrantQueue, PacketStore } from '../domain/ports.js';
import type { Finance } from '../finance/create-finance.js';
import type { GrantQueueTuning } from '../queue/create-grant-queue.js';
import type { BookingWorker } from '../services/subsidy/booking-worker.js';
import type { ServeConfig } from '../config/serve-config.js';
import { startOps, type Ops } from '../switches/start-ops.js';
import type { Background } from '../worker/start-worker.js';
import { SHADOW_HEADER } from '../domain/ids.js';
import type { NodeHandler } from '../server/claim-fast-path.js';
import { listenHttp, type NodeBindings } from './http-listener.js';
import { createLaneRequests } from '../metrics/lane-requests.js';
import { isShadowRequest, startLane, type Lane } from './lane.js';
import {
  createReadiness,
  readinessResponse,
  redisCheck,
  started,
  storeCheck,
  switchesCheck,
  type Readiness,
} from './readiness.js';
import { mayStartShadowLane } from './shadow-gate.js';
import { financeSignSecret, loadOrCreateSecret } from './secret.js';
import {
  ensureMysqlDatabase,
  financeStoreConfig,
  packetStoreConfig,
  shadowFinanceConfig,
  shadowStoreConfig,
  storeExists,
} from './storage-config.js';

export interface RunningService {
  /** Where the service listens, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  secret: string;
  store: PacketStore;
  finance: Finance;
  /** Issue 4: the outbox worker and the sweeper running in this process. */
  background: Background;
  /** Issue 3: the grant queue and the booking worker taking grants off it. */
  subsidy: { queue: GrantQueue; booking: BookingWorker };
  /** Issue 7: switches, endpoint limiter, mocks, logger, admin key. */
  ops: Ops;
  /** Issue 5: the shadow lane (load-test traffic), started now if it is not running yet. */
  shadow(): Promise<Lane>;
  /** Issue 19: what `GET /readyz` answers. */
  readiness: Readiness;
  close(): Promise<void>;
}

export interface StartOptions {
  limits?: PacketLimits;
  /** How claims reach the store (default `coalesce`); the claim benchmark compares them. */
  claimPath?: ClaimPath;
  /** Group transactions at once on the `coalesce` path (default DEFAULT_MAX_GROUPS); the claim benchmark's `--max-groups`. */
  claimGroups?: number;
  /**
   * Issue 25: false sends claims through Hono's router like every other request, not the fast
   * path (the claim benchmark's before/after, the fast path's equivalence tests). Default on.
   */
  claimFastPath?: boolean;
  /** false turns the claim limiter off (benchmarks). Default on. */
  limiter?: boolean;
  /** false pays claims one transfer task at a time (the transfer benchmark's baseline). Default on. */
  transferBatches?: boolean;
  now?: () => number;
  log?: (msg: string, err: unknown) => void;
  /** Issue 4: where structured alert lines go (default stderr). */
  writeLine?: (line: string) => void;
  /** Issue 3: the grant queue's Redis key prefix and visibility timeout (tests shrink them). */
  grantQueue?: GrantQueueTuning;
}

/**
 * The all-in-one service: packet API + simulated finance in one process, on the embedded
 * store unless MySQL URLs are given. The server listens first (port 0 picks one), because
 * finance's cashier URLs and our callback URL need the real address. Two lanes (src/runtime/
 * lane.ts) share the listener, the switches and the logs: the real one, and the shadow one for
 * requests marked `x-redpkt-shadow: 1` (issue 5), started on the first such request or at boot
 * when its databases already exist (so a rehearsal's pending refunds still settle after a restart).
 */
export async function startService(config: ServeConfig, opts: StartOptions = {}): Promise<RunningService> {
  const secret = await loadOrCreateSecret(config.dataDir, config.secret);
  const storeConfig = packetStoreConfig(config.dataDir, config.mysql);
  const financeConfig = financeStoreConfig(config.dataDir, config.mysql);
  if (storeConfig.kind === 'mysql') for (const url of storeConfig.urls) await ensureMysqlDatabase(url);

  // issue 7: switches (memory, pushed over Redis, polled), endpoint limiter, mocks, logs, admin key
  const ops = await startOps({
    storeConfig,
    redisUrl: config.redis,
    secret,
    adminKey: config.adminKey,
    logLevel: config.logLevel,
    switchPollMs: config.switchPollMs,
    ...(opts.now ? { now: opts.now } : {}),
    log: opts.log,
  });

  // issue 19: until the real lane has started, alive (`/healthz` 200) but not ready (`/readyz` 503)
  let readiness: Readiness = {
    report: async () => ({
      status: 'not_ready',
      checks: { lane: { ok: false, detail: 'starting: opening and migrating the stores' } },
    }),
  };
  let handler: (req: Request, env: NodeBindings) => Response | Promise<Response> = (req) =>
    new URL(req.url).pathname === '/healthz'
      ? Response.json({ ok: true, starting: true })
      : new Response(JSON.stringify({ error: { code: 'DEPENDENCY_FAILED', message: 'starting' } }), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        });
  const serve = (req: Request, env: NodeBindings): Response | Promise<Response> =>
    isReadinessProbe(req)
      ? readiness.report().then((report) => readinessResponse(report, req.method))
      : handler(req, env);
  const lanes = createLaneRequests(); // issue 23: real vs shadow traffic on the real lane's /metrics
  // issue 25: the real lane's claims, once it runs (a shadow-marked claim goes to its lane by fetch)
  let claimFastPath: NodeHandler | undefined;
  const first: NodeHandler = (req, res) => {
    if (!claimFastPath || req.headers[SHADOW_HEADER] !== undefined || !claimFastPath(req, res)) return false;
    lanes.count('real');
    return true;
  };
  const listener = await listenHttp(serve, config.host, config.port, { ...config, first }).catch(
    async (e: unknown) => {
      await ops.close();
      throw e;
    },
  );
  const { url } = listener;
  const laneInput = { config, opts, secret, url, ops };
  const real = await startLane({
    ...laneInput,
    name: 'real',
    storeConfig,
    financeConfig,
    register: [lanes.metric],
  }).catch(async (e: unknown) => {
    await listener.close();
    await ops.close();
    throw e;
  });

  const shadowStore = shadowStoreConfig(storeConfig);
  let shadowLane: Lane | undefined;
  let shadowStarting: Promise<Lane> | undefined;
  const startShadow = (): Promise<Lane> =>
    (shadowStarting ??= startLane({
      ...laneInput,
      name: 'shadow',
      storeConfig: shadowStore,
      financeConfig: shadowFinanceConfig(financeConfig),
    }).then(
      (lane) => (shadowLane = lane),
      (e: unknown) => {
        shadowStarting = undefined; // the next shadow request tries again
        throw e;
      },
    ));
  const shadowKeys = {
    jwtSecret: secret,
    adminKey: ops.adminKey,
    signSecret: financeSignSecret(secret),
    maxTokenLifetimeSec: config.maxTokenLifetimeSec,
  };
  const shadowFetch = async (req: Request, env: NodeBindings): Promise<Response> => {
    if (!shadowLane && !(await mayStartShadowLane(req, shadowKeys))) {
      // issue 18: an anonymous request never creates the shadow lane's stores
      return new Response(
        JSON.stringify({
          error: {
            code: 'UNAUTHENTICATED',
            message: 'the shadow lane starts only for an authenticated request',
          },
        }),
        { status: 401, headers: { 'content-type': 'application/json' } },
      );
    }
    try {
      return await (shadowLane ?? (await startShadow())).app.fetch(req, env);
    } catch (e) {
      (opts.log ?? ((m, err) => console.error(m, err)))('shadow lane failed to start', e);
      return new Response(
        JSON.stringify({ error: { code: 'DEPENDENCY_FAILED', message: 'the shadow lane is not available' } }),
        { status: 503, headers: { 'content-type': 'application/json' } },
      );
    }
  };
  if (opts.claimFastPath !== false) claimFastPath = real.claimFastPath;
  handler = (req, env) => {
    const shadow = isShadowRequest(req);
    lanes.count(shadow ? 'shadow' : 'real');
    return shadow ? shadowFetch(req, env) : real.app.fetch(req, env);
  };
  if (await storeExists(shadowStore)) await startShadow();
  readiness = createReadiness({
    store: storeCheck(real.store),
    switches: switchesCheck(ops.switches),
    ...(config.redis ? { redis: redisCheck(() => ({ ...ops.redisStatus(), ...real.redisStatus() })) } : {}),
    worker: started('outbox worker, sweeper and booking worker running'),
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: listener.port,
    secret,
    store: real.store,
    finance: real.finance,
    background: real.background,
    subsidy: real.subsidy,
    ops,
    shadow: startShadow,
    get readiness() {
      return readiness;
    },
    close() {
      closing ??= (async () => {
        await listener.close();
        const shadow = shadowStarting ? await shadowStarting.catch(() => undefined) : undefined;
        await shadow?.close();
        await real.close();
        await ops.close();
      })();
      return closing;
    },
  };
}

/** `GET` or `HEAD /readyz`, answered by the service itself whichever lane a request is for. */
function isReadinessProbe(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // the path starts at the first '/' after the scheme's '//' (cheaper than new URL on every request)
  const path = req.url.slice(req.url.indexOf('/', req.url.indexOf('//') + 2));
  return path === '/readyz' || path.startsWith('/readyz?');
}
