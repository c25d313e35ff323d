/**
 * One lane of the all-in-one service: a packet store, a simulated finance with its own books, a
 * grant queue, the claim path, the HTTP app over them, the outbox worker and the booking worker.
 * `redpkt serve` runs the real lane, and the shadow lane for load-test traffic (requests marked
 * `x-redpkt-shadow: 1`, DESIGN §2): the same code over other databases (src/runtime/shadow.ts),
 * other Redis keys and queues, with every number it makes shadow-marked (src/domain/ids.ts), so
 * real data never sees a rehearsal.
 */
import type { Hono } from 'hono';
import type { Metric } from 'prom-client';
import { createClaims } from '../core/claim-coalescer.js';
import { subsidyTokenKey } from '../auth/subsidy-token.js';
import type { ServeConfig } from '../config/serve-config.js';
import { DEFAULT_BOOKING_RATE } from '../config/subsidy-config.js';
import { SHADOW_HEADER, SHADOW_HEADERS } from '../domain/ids.js';
import { DEFAULT_LIMITS } from '../domain/limits.js';
import type { GrantQueue, PacketStore, PaymentProvider, SubsidyIssuer } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { createFinance, type Finance } from '../finance/create-finance.js';
import { createRainClient } from '../finance/rain/rain-client.js';
import { createGrantQueue, grantQueueConfig } from '../queue/create-grant-queue.js';
import { createDependencyCalls } from '../metrics/dependency-calls.js';
import type { NodeHandler } from '../server/claim-fast-path.js';
import { createHttpApp } from '../server/create-app.js';
import type { ServiceDeps } from '../services/deps.js';
import { startBookingWorker, type BookingWorker } from '../services/subsidy/booking-worker.js';
import { createStore, type StoreOptions } from '../storage/create-store.js';
import type { Ops } from '../switches/start-ops.js';
import { startBackground, type Background } from '../worker/start-worker.js';
import { workerTimings } from '../worker/timings.js';
import { createLimiter } from './limiter.js';
import { financeSignSecret } from './secret.js';
import type { StartOptions } from './start-service.js';
import { ensureMysqlDatabase, type FinanceStoreConfig, type StoreConfig } from './storage-config.js';

export type LaneName = 'real' | 'shadow';

export interface Lane {
  name: LaneName;
  store: PacketStore;
  finance: Finance;
  deps: ServiceDeps;
  app: Hono;
  /** Issue 25: the lane's claims served on Node's request and response before `app` (claim-fast-path.ts). */
  claimFastPath: NodeHandler;
  background: Background;
  subsidy: { queue: GrantQueue; booking: BookingWorker };
  /** With `--redis`: the state of the lane's connections (claim limiter, grant queue), by name. */
  redisStatus(): Record<string, string>;
  close(): Promise<void>;
}

export interface LaneInput {
  name: LaneName;
  config: ServeConfig;
  opts: StartOptions;
  secret: string;
  /** The service's own address: cashier URLs, our callback URL, finance's base URL. */
  url: string;
  ops: Ops;
  storeConfig: StoreConfig;
  financeConfig: FinanceStoreConfig;
  /** Metrics made outside the lane for its registry (the real lane: requests by lane). */
  register?: readonly Metric[];
}

export async function startLane(input: LaneInput): Promise<Lane> {
  const { name, config, opts, secret, url, ops } = input;
  const shadow = name === 'shadow';
  const log = opts.log ?? ((msg: string, err: unknown) => console.error(msg, err));
  const signSecret = financeSignSecret(secret);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    if (input.financeConfig.kind === 'mysql') await ensureMysqlDatabase(input.financeConfig.url);
    const store = await openLaneStore(input.storeConfig, { log });
    closers.push(() => store.close());

    // issue 3: the grant queue between the reward issuer (finance) and the booking worker
    // each lane its own key: a shadow (load-test) token never opens in the real lane, nor the reverse
    const tokenKey = subsidyTokenKey(secret, name);
    const grantQueue = await createGrantQueue(
      grantQueueConfig(config.dataDir, config.redis, opts.grantQueue, shadow ? 'shadow' : undefined),
    );
    closers.push(() => grantQueue.close());
    const finance = await createFinance({
      store: input.financeConfig,
      jwtSecret: secret,
      maxTokenLifetimeSec: config.maxTokenLifetimeSec,
      signSecret,
      publicUrl: url,
      rain: { tokenKey, queue: grantQueue },
      ...(opts.log ? { log: opts.log } : {}),
    });
    closers.push(() => finance.close());
    const clients = laneFinanceClients(url, secret, name);
    // issue 23: finance's latency and errors as this lane sees them (mocked calls never reach it)
    const calls = createDependencyCalls();
    const issuer = ops.withIssuerMock(calls.instrument('issuer', clients.issuer));
    closers.push(() => issuer.close());
    // issue 7: a mocked packet's transfers and refund never reach finance
    const provider = ops.withPaymentMocks(calls.instrument('finance', clients.provider));
    closers.push(() => provider.close());
    const now = opts.now ?? Date.now;
    const deps: ServiceDeps = {
      store,
      claims: createClaims(opts.claimPath ?? 'coalesce', {
        store,
        now,
        ...(opts.claimGroups === undefined ? {} : { maxGroups: opts.claimGroups }),
      }),
      provider,
      limits: opts.limits ?? config.limits ?? DEFAULT_LIMITS,
      notifyUrl: callbackUrl(url, name),
      now,
      paymentRecheckDelayMs: workerTimings(config.worker).recheckAfterMs,
      subsidy: { tokenKey, issuer, issuerEnabled: ops.issuerEnabled },
      switches: ops.switches,
      paymentMock: ops.paymentMock,
      ...(shadow ? { shadow: true } : {}),
    };
    const limiter = createLimiter(config.redis, log, shadow ? 'redpkt:shadow:' : 'redpkt:');
    closers.push(() => limiter.close());
    const { app, claimFastPath } = createHttpApp({
      deps,
      jwtSecret: secret,
      maxTokenLifetimeSec: config.maxTokenLifetimeSec,
      serverUrl: url,
      signSecret,
      ...(opts.limiter === false ? {} : { limiter }),
      mount: [{ prefix: '/finance', app: finance.app }],
      log: ops.log,
      ops: ops.appOptions({
        queues: [
          { name: 'claim-packets', depth: () => deps.claims.activeQueues() },
          { name: 'claims-in-flight', depth: () => deps.claims.claimsInFlight() },
          { name: 'grants', depth: () => grantQueue.depth() },
        ],
        bypassed: [{ limiter: 'packet', count: () => limiter.bypassed() }],
        register: [calls.calls, calls.latency, ...(input.register ?? [])],
        ...(shadow ? { processMetrics: false } : {}),
      }),
    });
    const { background, booking } = startLaneWorkers({
      config,
      secret,
      lane: name,
      opts,
      store,
      provider,
      issuer,
      queue: grantQueue,
      notifyUrl: deps.notifyUrl,
      claimsBusy: () => deps.claims.claimsInFlight() >= CLAIMS_BUSY_AT,
    });
    closers.push(
      () => background.stop(),
      () => booking.stop(),
    );

    let closing: Promise<void> | undefined;
    return {
      name,
      store,
      finance,
      deps,
      app,
      claimFastPath,
      background,
      subsidy: { queue: grantQueue, booking },
      redisStatus() {
        const out: Record<string, string> = {};
        if (limiter.redisStatus) out['claim-limiter'] = limiter.redisStatus();
        if (grantQueue.connectionStatus) out['grant-queue'] = grantQueue.connectionStatus();
        return out;
      },
      close: () => (closing ??= closeAll()),
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** A lane's packet store, created (with its MySQL databases) and migrated. */
export async function openLaneStore(config: StoreConfig, opts: StoreOptions = {}): Promise<PacketStore> {
  if (config.kind === 'mysql') for (const u of config.urls) await ensureMysqlDatabase(u);
  const store = await createStore(config, opts);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** A lane's clients of finance at `baseUrl`: the payment provider and the reward issuer. */
export function laneFinanceClients(baseUrl: string, secret: string, lane: LaneName) {
  const signSecret = financeSignSecret(secret);
  const headers = lane === 'shadow' ? SHADOW_HEADERS : {};
  return {
    provider: createFinanceClient({ baseUrl, secret: signSecret, headers }),
    issuer: createRainClient({ baseUrl, secret: signSecret, timeoutMs: 2_000, headers }),
  };
}

/**
 * Claimers waiting for an answer in this lane at which its outbox worker yields to them (the
 * all-in-one server: claims and transfers share the process's CPU and database pool).
 */
export const CLAIMS_BUSY_AT = 100;

/**
 * A lane's background work over its store: the outbox worker and the sweeper (issue 4), and the
 * booking worker taking grants off the lane's queue at --booking-rate (issue 3).
 */
export function startLaneWorkers(input: {
  config: ServeConfig;
  /** The service secret: the subsidy token key is derived from it. */
  secret: string;
  /** Whose grants the booking worker opens: each lane's tokens are sealed with that lane's key. */
  lane: LaneName;
  opts: {
    now?: () => number;
    log?: (msg: string, err?: unknown) => void;
    writeLine?: (line: string) => void;
    transferBatches?: boolean;
  };
  store: PacketStore;
  provider: PaymentProvider;
  issuer: SubsidyIssuer;
  queue: GrantQueue;
  notifyUrl: string;
  /** Where claims are served in the same process: the outbox worker yields while this is true. */
  claimsBusy?: () => boolean;
}): { background: Background; booking: BookingWorker } {
  const { config, opts, store } = input;
  const now = opts.now ?? Date.now;
  const background = startBackground({
    store,
    provider: input.provider,
    notifyUrl: input.notifyUrl,
    issuer: input.issuer,
    timings: config.worker,
    alertWebhook: config.alertWebhook,
    now,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.writeLine ? { writeLine: opts.writeLine } : {}),
    ...(input.claimsBusy ? { yieldTo: input.claimsBusy } : {}),
    ...(opts.transferBatches === false ? { transferBatches: false } : {}),
  });
  const booking = startBookingWorker({
    queue: input.queue,
    store,
    tokenKey: subsidyTokenKey(input.secret, input.lane),
    now,
    ratePerSec: config.bookingRate ?? DEFAULT_BOOKING_RATE,
    log: opts.log ?? ((msg, err) => console.error(msg, err)),
  });
  return { background, booking };
}

/** Our callback route as finance is told it: a lane's callbacks carry the shadow query (no header). */
export function callbackUrl(base: string, lane: LaneName): string {
  return `${base}/v1/callbacks/finance${lane === 'shadow' ? `?${SHADOW_HEADER}=1` : ''}`;
}

/**
 * Whether a request belongs to the shadow lane: the header (every load-test request), or the
 * query finance's callbacks to the shadow lane carry. Reads one header on the common path.
 */
export function isShadowRequest(req: Request): boolean {
  if (req.headers.get(SHADOW_HEADER) === '1') return true;
  const q = req.url.indexOf('?');
  return q >= 0 && new URLSearchParams(req.url.slice(q + 1)).get(SHADOW_HEADER) === '1';
}
