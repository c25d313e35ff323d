import { DEFAULT_LIMITS } from '../domain/limits.js';
import type { PacketLimits } from '../domain/limits.js';
import type { PacketStore } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { createFinance } from '../finance/create-finance.js';
import { createClaimCoalescer, createDirectClaims } from '../core/claim-coalescer.js';
import { createApp } from '../server/create-app.js';
import { subsidyTokenKey } from '../auth/subsidy-token.js';
import { DEFAULT_BOOKING_RATE } from '../config/subsidy-config.js';
import type { GrantQueue } from '../domain/ports.js';
import { createRainClient } from '../finance/rain/rain-client.js';
import { createGrantQueue, grantQueueConfig, type GrantQueueTuning } from '../queue/create-grant-queue.js';
import { startBookingWorker, type BookingWorker } from '../services/subsidy/booking-worker.js';
import { createLimiter } from './limiter.js';
import type { ServiceDeps } from '../services/deps.js';
import { createStore } from '../storage/create-store.js';
import { listenHttp } from './http-listener.js';
import type { ServeConfig } from '../config/serve-config.js';
import { financeSignSecret, loadOrCreateSecret } from './secret.js';
import { startBackground, type Background } from '../worker/start-worker.js';
import { workerTimings } from '../worker/timings.js';
import { ensureMysqlDatabase, financeStoreConfig, packetStoreConfig } from './storage-config.js';
import { startOps, type Ops } from '../switches/start-ops.js';

export interface RunningService {
  /** Where the service listens, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  secret: string;
  store: PacketStore;
  finance: Awaited<ReturnType<typeof createFinance>>;
  /** Issue 4: the outbox worker and the sweeper running in this process. */
  background: Background;
  /** Issue 3: the grant queue and the booking worker taking grants off it. */
  subsidy: { queue: GrantQueue; booking: BookingWorker };
  /** Issue 7: switches, endpoint limiter, mocks, logger, admin key. */
  ops: Ops;
  close(): Promise<void>;
}

export interface StartOptions {
  limits?: PacketLimits;
  /**
   * How claims reach the store; the claim benchmark compares them. `coalesce` (default): the
   * per-packet queue batching waiting claimers; `queue`: the queue with one claimer per
   * transaction; `direct`: no queue, every claimer waits on the row lock.
   */
  claimPath?: 'coalesce' | 'queue' | 'direct';
  /** false turns the claim limiter off (benchmarks). Default on. */
  limiter?: boolean;
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
 * finance's cashier URLs and our callback URL need the real address.
 */
export async function startService(config: ServeConfig, opts: StartOptions = {}): Promise<RunningService> {
  const secret = await loadOrCreateSecret(config.dataDir, config.secret);
  const signSecret = financeSignSecret(secret);
  const storeConfig = packetStoreConfig(config.dataDir, config.mysql);
  const financeConfig = financeStoreConfig(config.dataDir, config.mysql);
  if (storeConfig.kind === 'mysql') for (const url of storeConfig.urls) await ensureMysqlDatabase(url);
  if (financeConfig.kind === 'mysql') await ensureMysqlDatabase(financeConfig.url);

  const store = await createStore(storeConfig);
  await store.migrate();
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
  }).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });

  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response(JSON.stringify({ error: { code: 'DEPENDENCY_FAILED', message: 'starting' } }), {
      status: 503,
    });
  const listener = await listenHttp((req) => handler(req), config.host, config.port).catch(
    async (e: unknown) => {
      await ops.close();
      await store.close();
      throw e;
    },
  );
  const { url } = listener;

  // issue 3: the grant queue between the reward issuer (finance) and the booking worker
  const tokenKey = subsidyTokenKey(secret);
  const grantQueue = await createGrantQueue(grantQueueConfig(config.dataDir, config.redis, opts.grantQueue));
  const finance = await createFinance({
    store: financeConfig,
    jwtSecret: secret,
    signSecret,
    publicUrl: url,
    rain: { tokenKey, queue: grantQueue },
    ...(opts.log ? { log: opts.log } : {}),
  });
  const issuer = ops.withIssuerMock(createRainClient({ baseUrl: url, secret: signSecret, timeoutMs: 2_000 }));
  // issue 7: a mocked packet's transfers and refund never reach finance
  const provider = ops.withPaymentMocks(createFinanceClient({ baseUrl: url, secret: signSecret }));
  const now = opts.now ?? Date.now;
  const deps: ServiceDeps = {
    store,
    claims:
      opts.claimPath === 'direct'
        ? createDirectClaims({ store, now })
        : createClaimCoalescer({ store, now, maxBatch: opts.claimPath === 'queue' ? 1 : 500 }),
    provider,
    limits: opts.limits ?? config.limits ?? DEFAULT_LIMITS,
    notifyUrl: `${url}/v1/callbacks/finance`,
    now,
    paymentRecheckDelayMs: workerTimings(config.worker).recheckAfterMs,
    subsidy: { tokenKey, issuer, issuerEnabled: ops.issuerEnabled },
    switches: ops.switches,
    paymentMock: ops.paymentMock,
  };
  const limiter = createLimiter(config.redis, opts.log ?? ((msg, err) => console.error(msg, err)));
  const app = createApp({
    deps,
    jwtSecret: secret,
    signSecret,
    ...(opts.limiter === false ? {} : { limiter }),
    mount: [finance.app],
    log: ops.log,
    ops: ops.appOptions({
      queues: [
        { name: 'claim-packets', depth: () => deps.claims.activeQueues() },
        { name: 'grants', depth: () => grantQueue.depth() },
      ],
      bypassed: [{ limiter: 'packet', count: () => limiter.bypassed() }],
    }),
  });
  handler = (req) => app.fetch(req);
  const background = startBackground({
    store,
    provider,
    notifyUrl: deps.notifyUrl,
    issuer,
    timings: config.worker,
    alertWebhook: config.alertWebhook,
    now,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.writeLine ? { writeLine: opts.writeLine } : {}),
  });

  const booking = startBookingWorker({
    queue: grantQueue,
    store,
    tokenKey,
    now,
    ratePerSec: config.bookingRate ?? DEFAULT_BOOKING_RATE,
    log: opts.log ?? ((msg, err) => console.error(msg, err)),
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: listener.port,
    secret,
    store,
    finance,
    background,
    subsidy: { queue: grantQueue, booking },
    ops,
    close() {
      closing ??= (async () => {
        await booking.stop();
        await background.stop();
        await listener.close();
        await provider.close();
        await limiter.close();
        await ops.close();
        await finance.close();
        await issuer.close();
        await grantQueue.close();
        await store.close();
      })();
      return closing;
    },
  };
}
