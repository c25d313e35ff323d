/**
 * Issue 6: `redpkt serve --role gateway --core URL --core URL…`: a reverse proxy in front of
 * several cores (all-in-one `redpkt serve` processes sharing one MySQL and Redis) that sends every
 * request of one packet to the same core (src/gateway/gateway-handler.ts). It touches no database:
 * only the cores, and Redis for the per-packet claim limiter when `--redis` is given.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServeConfig } from '../config/serve-config.js';
import { DEFAULT_CORE_TIMEOUT_MS, DEFAULT_HEALTH_EVERY_MS } from '../config/gateway-config.js';
import { RedpktError } from '../domain/errors.js';
import { createClaimGate, type ClaimGate } from '../gateway/claim-gate.js';
import { createCoreSet, type CoreSet } from '../gateway/core-set.js';
import { createGatewayHandler } from '../gateway/gateway-handler.js';
import { createGatewayMetrics } from '../gateway/gateway-metrics.js';
import { createCoreRouter } from '../gateway/core-router.js';
import { listenHttp } from './http-listener.js';
import { createLimiter } from './limiter.js';

export interface RunningGateway {
  url: string;
  port: number;
  cores: CoreSet;
  close(): Promise<void>;
}

export interface GatewayStartOptions {
  log?: (msg: string, err?: unknown) => void;
  /** Connections per core (default 256). */
  connections?: number;
  /** Issue 21: more for the gateway's `GET /healthz` (the supervisor lists its processes). */
  describe?: () => Record<string, unknown>;
}

/**
 * The gateway's claim limiter keys (`redpkt:gateway:…`) are its own: cores that still run theirs
 * on the same Redis (`redpkt:…`) do not eat the gateway's budget, they only limit a second time.
 */
const LIMITER_PREFIX = 'redpkt:gateway:';

export async function startGateway(
  config: ServeConfig,
  opts: GatewayStartOptions = {},
): Promise<RunningGateway> {
  const origins = config.cores ?? [];
  if (origins.length === 0) throw new RedpktError('USAGE', '--role gateway needs --core URL');
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));

  // first: it refuses a cell plan that does not add up before anything is opened
  const router = createCoreRouter({
    origins,
    isUp: (i) => cores.isUp(i),
    cells: config.cells,
    coreCells: config.coreCells,
  });
  let claimGate: ClaimGate | undefined;
  if (config.claimLimiter !== false) {
    const secret = await readSecret(config.dataDir, config.secret);
    claimGate = createClaimGate({
      secret,
      maxTokenLifetimeSec: config.maxTokenLifetimeSec,
      limiters: {
        real: createLimiter(config.redis, log, LIMITER_PREFIX),
        shadow: createLimiter(config.redis, log, `${LIMITER_PREFIX}shadow:`),
      },
    });
  }
  const cores = createCoreSet({
    origins,
    ...(opts.connections ? { connections: opts.connections } : {}),
    requestTimeoutMs: config.coreTimeoutMs ?? DEFAULT_CORE_TIMEOUT_MS,
    healthEveryMs: config.healthEveryMs ?? DEFAULT_HEALTH_EVERY_MS,
    onChange: (origin, up, reason) => log(`gateway: core ${origin} is ${up ? 'up' : 'down'} (${reason})`),
  });
  const handler = createGatewayHandler({
    cores,
    router,
    claimGate,
    metrics: createGatewayMetrics(cores, claimGate),
    describe: opts.describe,
  });
  const listener = await listenHttp(handler, config.host, config.port, config).catch(async (e: unknown) => {
    await cores.close();
    await claimGate?.close();
    throw e;
  });

  let closing: Promise<void> | undefined;
  return {
    url: listener.url,
    port: listener.port,
    cores,
    close() {
      closing ??= (async () => {
        await listener.close();
        await cores.close();
        await claimGate?.close();
      })();
      return closing;
    },
  };
}

/**
 * The cores' secret, to check a claimer's token before the limiter counts the claim: `--secret`
 * / REDPKT_SECRET, or the data dir's secret file. Never generated here: a secret the cores do not
 * share would turn every claim away with 401.
 */
async function readSecret(dataDir: string, given: string | undefined): Promise<string> {
  if (given) return given;
  try {
    const found = (await readFile(join(dataDir, 'secret'), 'utf8')).trim();
    if (found.length >= 16) return found;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  throw new RedpktError(
    'USAGE',
    `--role gateway checks claimers' tokens before its claim limiter: give it the cores' --secret (or REDPKT_SECRET, or a --data-dir holding their secret; ${join(dataDir, 'secret')} has none), or --no-claim-limiter`,
  );
}
