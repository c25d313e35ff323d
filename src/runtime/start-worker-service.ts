/**
 * Issue 4: `redpkt serve --role worker`: the outbox worker and the sweeper over the packet store,
 * with no HTTP API but `GET /healthz`. Finance is reached over HTTP at `--finance-url` (a running
 * `redpkt serve` that hosts the simulated finance and our callback route), signed with the key
 * derived from the shared secret; finance's callbacks go to that serve's `/v1/callbacks/finance`.
 * It also books subsidy grants off the grant queue (Redis with --redis, else the data dir's
 * queue.db, so then it must share the data dir), answers mocked packets' transfers and refunds
 * from the mocked-order records like the all-in-one does, and works the shadow lane (issue 5).
 */
import { Hono } from 'hono';
import type { ServeConfig } from '../config/serve-config.js';
import { RedpktError } from '../domain/errors.js';
import type { PacketStore } from '../domain/ports.js';
import { notFound } from '../server/middleware/error-handler.js';
import { listenHttp } from './http-listener.js';
import { createReadiness, readinessResponse, redisCheck, started, storeCheck } from './readiness.js';
import type { Background } from '../worker/start-worker.js';
import { loadOrCreateSecret } from './secret.js';
import { createGrantQueue, grantQueueConfig } from '../queue/create-grant-queue.js';
import { createSwitchStore } from '../storage/switches/create-switch-store.js';
import { withPaymentMocks } from '../switches/mocks/mocking-provider.js';
import type { MockedOrderStore } from '../switches/mocks/payment-mock.js';
import { callbackUrl, laneFinanceClients, openLaneStore, startLaneWorkers, type LaneName } from './lane.js';
import {
  ensureMysqlDatabase,
  packetStoreConfig,
  shadowStoreConfig,
  storeExists,
  type StoreConfig,
} from './storage-config.js';

export interface RunningWorker {
  url: string;
  port: number;
  store: PacketStore;
  background: Background;
  close(): Promise<void>;
}

export interface WorkerStartOptions {
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
  writeLine?: (line: string) => void;
}

export async function startWorkerService(
  config: ServeConfig,
  opts: WorkerStartOptions = {},
): Promise<RunningWorker> {
  if (!config.financeUrl) throw new RedpktError('USAGE', '--role worker needs --finance-url');
  const financeUrl = config.financeUrl.replace(/\/+$/, '');
  const secret = await loadOrCreateSecret(config.dataDir, config.secret);
  const storeConfig = packetStoreConfig(config.dataDir, config.mysql);
  if (storeConfig.kind === 'mysql') for (const url of storeConfig.urls) await ensureMysqlDatabase(url);
  // issue 7: a mocked packet's transfers and refund are answered from the mocked-order records
  // (kept beside the real lane's switches for both lanes), never sent to finance
  const mocks = await createSwitchStore(storeConfig);
  await mocks.migrate();
  const lane = (cfg: StoreConfig, name: LaneName) =>
    startWorkerLane(config, opts, { financeUrl, secret, mocks }, cfg, name);
  const real = await lane(storeConfig, 'real').catch(async (e: unknown) => {
    await mocks.close();
    throw e;
  });

  // issue 5: the shadow lane's work (a rehearsal's refunds, transfers) once its store exists
  const shadowConfig = shadowStoreConfig(storeConfig);
  let shadow: WorkerLane | undefined;
  let checking = false;
  const checkShadow = async () => {
    if (shadow || checking) return;
    checking = true;
    try {
      if (await storeExists(shadowConfig)) shadow = await lane(shadowConfig, 'shadow');
    } catch (e) {
      opts.log?.('shadow lane worker failed to start', e);
    } finally {
      checking = false;
    }
  };
  await checkShadow();
  const shadowTimer = setInterval(() => void checkShadow(), SHADOW_CHECK_MS);
  shadowTimer.unref();

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, role: 'worker', shadow: shadow !== undefined }));
  // issue 19: ready while its store answers and (with --redis) the grant queue is connected
  const readiness = createReadiness({
    store: storeCheck(real.store),
    ...(config.redis
      ? {
          redis: redisCheck((): Record<string, string> =>
            real.queueStatus ? { 'grant-queue': real.queueStatus() } : {},
          ),
        }
      : {}),
    worker: started('outbox worker, sweeper and booking worker running'),
  });
  app.get('/readyz', async (c) => readinessResponse(await readiness.report(), c.req.method));
  app.notFound(notFound);
  const listener = await listenHttp(
    (req, env) => app.fetch(req, env),
    config.host,
    config.port,
    config,
  ).catch(async (e: unknown) => {
    clearInterval(shadowTimer);
    await shadow?.close();
    await real.close();
    await mocks.close();
    throw e;
  });

  let closing: Promise<void> | undefined;
  return {
    url: listener.url,
    port: listener.port,
    store: real.store,
    background: real.background,
    close() {
      closing ??= (async () => {
        clearInterval(shadowTimer);
        while (checking) await new Promise((r) => setTimeout(r, 20));
        await shadow?.close();
        await real.close();
        await mocks.close();
        await listener.close();
      })();
      return closing;
    },
  };
}

const SHADOW_CHECK_MS = 30_000;

interface WorkerLane {
  store: PacketStore;
  background: Background;
  queueStatus: (() => string) | undefined;
  close(): Promise<void>;
}

/** The outbox worker and sweeper over one lane's store, reaching finance over HTTP. */
async function startWorkerLane(
  config: ServeConfig,
  opts: WorkerStartOptions,
  shared: { financeUrl: string; secret: string; mocks: MockedOrderStore },
  storeConfig: StoreConfig,
  lane: LaneName,
): Promise<WorkerLane> {
  const { financeUrl, secret } = shared;
  const store = await openLaneStore(storeConfig, opts.log ? { log: opts.log } : {});
  const clients = laneFinanceClients(financeUrl, secret, lane);
  const provider = withPaymentMocks(clients.provider, { store: shared.mocks, now: opts.now ?? Date.now });
  const { issuer } = clients;
  const queue = await createGrantQueue(
    grantQueueConfig(config.dataDir, config.redis, undefined, lane === 'shadow' ? 'shadow' : undefined),
  );
  const { background, booking } = startLaneWorkers({
    config,
    secret,
    // this lane's own subsidy token key (the shadow lane's tokens never open in the real one)
    lane,
    opts,
    store,
    provider,
    issuer,
    queue,
    notifyUrl: callbackUrl(financeUrl, lane),
  });
  return {
    store,
    background,
    queueStatus: queue.connectionStatus?.bind(queue),
    async close() {
      await booking.stop();
      await queue.close();
      await background.stop();
      await provider.close();
      await issuer.close();
      await store.close();
    },
  };
}
