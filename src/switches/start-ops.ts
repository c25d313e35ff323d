/**
 * Composition of issue 7 for one running service: the switch store beside the packet store, the
 * switch board (memory + pub/sub + polling), the endpoint limiter, the payment mocks, the logger,
 * the admin key, and the pieces createApp needs (a fresh metrics registry per app).
 */
import { Redis } from 'ioredis';
import { deriveAdminKey } from '../auth/admin-key.js';
import type { PaymentProvider, SubsidyIssuer } from '../domain/ports.js';
import { createMetrics } from '../metrics/create-metrics.js';
import type { MetricsSources } from '../metrics/create-metrics.js';
import { createLogger, errorLogOf } from '../metrics/logger.js';
import type { LogLevel, Logger } from '../metrics/logger.js';
import type { StoreConfig } from '../runtime/storage-config.js';
import type { OpsAppOptions } from '../server/ops-layer.js';
import { createSwitchStore } from '../storage/switches/create-switch-store.js';
import type { EndpointLimiter } from './limit/endpoint-limiter.js';
import { createMemoryEndpointLimiter } from './limit/memory-endpoint-limiter.js';
import { createRedisEndpointLimiter } from './limit/redis-endpoint-limiter.js';
import { withIssuerMock } from './mocks/mocking-issuer.js';
import { withPaymentMocks } from './mocks/mocking-provider.js';
import { createPaymentMock } from './mocks/payment-mock.js';
import type { PaymentMock, SwitchStore } from './ports.js';
import { opsRedisPrefix } from './redis-prefix.js';
import { createRedisSwitchBus } from './redis-switch-bus.js';
import type { SwitchBoard } from './switch-board.js';
import { createSwitchBoard } from './switch-board.js';

export interface OpsInput {
  storeConfig: StoreConfig;
  redisUrl: string | undefined;
  /** The service secret: the admin key is derived from it unless `adminKey` is given. */
  secret: string;
  adminKey?: string | undefined;
  logLevel?: LogLevel | undefined;
  /** How often the switch table is re-read (default 500 ms; the push makes it faster with Redis). */
  switchPollMs?: number | undefined;
  now?: () => number;
  /** Where errors go (default: the JSON logger). */
  log?: ((msg: string, err: unknown) => void) | undefined;
}

export interface Ops {
  switches: SwitchBoard;
  store: SwitchStore;
  endpointLimiter: EndpointLimiter;
  paymentMock: PaymentMock;
  adminKey: string;
  logger: Logger;
  /** Where unhandled errors go: the given `log`, else the JSON logger when a level is set, else stderr. */
  log: (msg: string, err: unknown) => void;
  /** The provider with mocked packets' transfers and refunds kept away from finance. */
  withPaymentMocks<P extends PaymentProvider>(provider: P): P;
  /** The reward issuer, not called while `mock issuer` is on. */
  withIssuerMock<I extends SubsidyIssuer>(issuer: I): I;
  /** false while `degrade subsidy-issuer` or `mock issuer` is on: "my subsidies" from booked rows only. */
  issuerEnabled(): boolean;
  /** What createApp needs; each call makes a fresh metrics registry (one per app instance). */
  appOptions(sources?: MetricsSources): OpsAppOptions;
  /** With `--redis`: the state of each connection (`ready` when up), for the readiness check. */
  redisStatus(): Record<string, string>;
  close(): Promise<void>;
}

export async function startOps(input: OpsInput): Promise<Ops> {
  const now = input.now ?? Date.now;
  const logger = createLogger(input.logLevel ?? 'silent');
  const log =
    input.log ??
    (input.logLevel ? errorLogOf(logger) : (msg: string, err: unknown) => console.error(msg, err));
  const store = await createSwitchStore(input.storeConfig);
  await store.migrate();
  const prefix = opsRedisPrefix(input.storeConfig);

  let redis: Redis | undefined;
  let subscriber: Redis | undefined;
  if (input.redisUrl) {
    // commands fail fast (the limiter lets requests through when Redis is down)
    redis = new Redis(input.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 200,
    });
    subscriber = new Redis(input.redisUrl);
    redis.on('error', () => {});
    subscriber.on('error', () => {});
  }
  let lastBypassLog = 0;
  const endpointLimiter = redis
    ? createRedisEndpointLimiter({
        redis,
        prefix,
        onBypass: (e) => {
          if (now() - lastBypassLog < 60_000) return;
          lastBypassLog = now();
          log('endpoint limiter bypassed: Redis unavailable, requests go on unlimited', e);
        },
      })
    : createMemoryEndpointLimiter();

  const switches = await createSwitchBoard({
    store,
    bus:
      redis && subscriber
        ? createRedisSwitchBus({ publisher: redis, subscriber, channel: `${prefix}switches`, log })
        : undefined,
    ...(input.switchPollMs === undefined ? {} : { pollMs: input.switchPollMs }),
    now,
    log,
    onChange: ({ kind, name, from, to, record }) => {
      const fields = { kind, name, from, to, by: record.updatedBy, reason: record.reason };
      if (kind !== 'limit' && to > 0) logger.warn(fields, 'switch turned on');
      else logger.info(fields, 'switch changed');
    },
  });

  const adminKey = input.adminKey ?? deriveAdminKey(input.secret);
  return {
    switches,
    store,
    endpointLimiter,
    paymentMock: createPaymentMock({ switches, store, now }),
    adminKey,
    logger,
    log,
    withPaymentMocks: (provider) => withPaymentMocks(provider, { store, now }),
    withIssuerMock: (issuer) => withIssuerMock(issuer, { switches, store, now }),
    issuerEnabled: () => !switches.isOn('degrade', 'subsidy-issuer') && !switches.isOn('mock', 'issuer'),
    appOptions(sources = {}) {
      const metrics = createMetrics({
        switches: () => switches.list(),
        states: () => store.countStates(),
        ...sources,
        bypassed: [
          { limiter: 'endpoint', count: () => endpointLimiter.bypassed() },
          ...(sources.bypassed ?? []),
        ],
      });
      return { switches, store, endpointLimiter, adminKey, metrics, logger };
    },
    redisStatus: (): Record<string, string> =>
      redis && subscriber ? { switches: redis.status, 'switch-notices': subscriber.status } : {},
    async close() {
      await switches.close();
      await endpointLimiter.close();
      redis?.disconnect();
      await store.close();
      logger.flush();
    },
  };
}
