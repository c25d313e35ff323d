import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { RedpktError } from '../domain/errors.js';
import { DEFAULT_LIMITS } from '../domain/limits.js';
import type { PacketLimits } from '../domain/limits.js';
import type { PacketStore } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { createFinance } from '../finance/create-finance.js';
import { createClaimCoalescer, createDirectClaims } from '../core/claim-coalescer.js';
import { createApp } from '../server/create-app.js';
import { createLimiter } from './limiter.js';
import type { ServiceDeps } from '../services/deps.js';
import { createStore } from '../storage/create-store.js';
import type { ServeConfig } from '../config/serve-config.js';
import { financeSignSecret, loadOrCreateSecret } from './secret.js';
import { ensureMysqlDatabase, financeStoreConfig, packetStoreConfig } from './storage-config.js';

export interface RunningService {
  /** Where the service listens, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  secret: string;
  store: PacketStore;
  finance: Awaited<ReturnType<typeof createFinance>>;
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
}

function listen(server: ServerType): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) =>
      reject(new RedpktError('DEPENDENCY_FAILED', `cannot listen: ${e.message}`, { cause: e }));
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
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

  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response(JSON.stringify({ error: { code: 'DEPENDENCY_FAILED', message: 'starting' } }), {
      status: 503,
    });
  const server = serve({ fetch: (req) => handler(req), port: config.port, hostname: config.host });
  const address = await listen(server).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  const selfHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${selfHost.includes(':') ? `[${selfHost}]` : selfHost}:${address.port}`;

  const finance = await createFinance({
    store: financeConfig,
    jwtSecret: secret,
    signSecret,
    publicUrl: url,
  });
  const provider = createFinanceClient({ baseUrl: url, secret: signSecret });
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
  };
  const limiter = createLimiter(config.redis, opts.log ?? ((msg, err) => console.error(msg, err)));
  const app = createApp({
    deps,
    jwtSecret: secret,
    signSecret,
    ...(opts.limiter === false ? {} : { limiter }),
    mount: [finance.app],
    ...(opts.log ? { log: opts.log } : {}),
  });
  handler = (req) => app.fetch(req);

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    secret,
    store,
    finance,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await provider.close();
        await limiter.close();
        await finance.close();
        await store.close();
      })();
      return closing;
    },
  };
}
