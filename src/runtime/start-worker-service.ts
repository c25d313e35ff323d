/**
 * Issue 4: `redpkt serve --role worker`: the outbox worker and the sweeper over the packet store,
 * with no HTTP API but `GET /healthz`. Finance is reached over HTTP at `--finance-url` (a running
 * `redpkt serve` that hosts the simulated finance and our callback route), signed with the key
 * derived from the shared secret; finance's callbacks go to that serve's `/v1/callbacks/finance`.
 */
import { Hono } from 'hono';
import type { ServeConfig } from '../config/serve-config.js';
import { RedpktError } from '../domain/errors.js';
import type { PacketStore } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { notFound } from '../server/middleware/error-handler.js';
import { createStore } from '../storage/create-store.js';
import { listenHttp } from './http-listener.js';
import { createRainClient } from '../finance/rain/rain-client.js';
import { startBackground, type Background } from '../worker/start-worker.js';
import { financeSignSecret, loadOrCreateSecret } from './secret.js';
import { ensureMysqlDatabase, packetStoreConfig } from './storage-config.js';

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
  const store = await createStore(storeConfig);
  await store.migrate();

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, role: 'worker' }));
  app.notFound(notFound);
  const listener = await listenHttp((req) => app.fetch(req), config.host, config.port).catch(
    async (e: unknown) => {
      await store.close();
      throw e;
    },
  );
  const { url } = listener;

  const provider = createFinanceClient({ baseUrl: financeUrl, secret: financeSignSecret(secret) });
  const issuer = createRainClient({
    baseUrl: financeUrl,
    secret: financeSignSecret(secret),
    timeoutMs: 2_000,
  });
  const background = startBackground({
    store,
    provider,
    issuer,
    notifyUrl: `${financeUrl}/v1/callbacks/finance`,
    timings: config.worker,
    alertWebhook: config.alertWebhook,
    ...opts,
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: listener.port,
    store,
    background,
    close() {
      closing ??= (async () => {
        await background.stop();
        await listener.close();
        await provider.close();
        await issuer.close();
        await store.close();
      })();
      return closing;
    },
  };
}
