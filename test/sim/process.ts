/**
 * Issue 24: one incarnation of the packet service process in the simulation: the real HTTP app
 * (with issue 7's ops layer: degrade gate, endpoint limiter), claim coalescer, limiter, outbox
 * workers and sweeper, over the gated store and finance, and the switches composed as
 * src/runtime/lane.ts composes them (payment and issuer mocks around the provider and the issuer).
 * A crash throws all of it away (queues, caches, limiter counts, leases, the board's memory of the
 * switches); the stores are kept.
 */
import type { Hono } from 'hono';
import { createMemoryClaimLimiter } from '../../src/cache/memory-claim-limiter.js';
import { DEFAULT_LIMITER_SETTINGS } from '../../src/cache/claim-limiter.js';
import { createClaimCoalescer } from '../../src/core/claim-coalescer.js';
import { DEFAULT_LIMITS } from '../../src/domain/limits.js';
import type { GrantQueue, PacketStore, PaymentProvider, SubsidyIssuer } from '../../src/domain/ports.js';
import { randomIntOf } from '../../src/domain/random.js';
import { createApp } from '../../src/server/create-app.js';
import { createMemoryEndpointLimiter } from '../../src/switches/limit/memory-endpoint-limiter.js';
import { withIssuerMock } from '../../src/switches/mocks/mocking-issuer.js';
import { withPaymentMocks } from '../../src/switches/mocks/mocking-provider.js';
import { createPaymentMock, type MockedOrderStore } from '../../src/switches/mocks/payment-mock.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import type { SwitchBoard } from '../../src/switches/switch-board.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { createBooker, type Booker } from '../../src/services/subsidy/booking-worker.js';
import { createAlertSink } from '../../src/worker/alert-sink.js';
import { createSweeper, type Sweeper } from '../../src/worker/create-sweeper.js';
import { createWorker, type Worker } from '../../src/worker/create-worker.js';
import { createTaskBatchHandlers, createTaskHandlers } from '../../src/worker/task-handlers.js';
import type { WorkerTimings } from '../../src/worker/timings.js';
import type { Kernel, Life } from './kernel.js';

export const NOTIFY_URL = 'http://sim.invalid/v1/callbacks/finance';

export interface SimProcess {
  life: Life;
  app: Hono;
  workers: Worker[];
  sweeper: Sweeper;
  /** The booking worker's round (the simulator drives it; the rate limit is not simulated). */
  booker: Booker;
  /** Background loops running now (one poll per worker, one sweep at a time). */
  busy: Set<string>;
  /** This process's switch board (the simulator drives its poll). */
  switches: SwitchBoard;
}

export function startProcess(input: {
  k: Kernel;
  life: Life;
  store: PacketStore;
  provider: PaymentProvider;
  issuer: SubsidyIssuer;
  /** The grant queue as this process sees it. */
  queue: GrantQueue;
  tokenKey: Buffer;
  timings: WorkerTimings;
  jwtSecret: string;
  signSecret: string;
  workers: number;
  switches: SwitchBoard;
  /** The switch store as this process sees it (gated: mocked orders are money records). */
  switchStore: SwitchStore;
  /** What the payment mocks read to decide a packet is mocked (the switch store, or a mutant's). */
  mockedOrders?: MockedOrderStore;
}): SimProcess {
  const { k, timings, switches, switchStore: ops } = input;
  const { store } = input;
  const now = k.clock.now;
  // issue 7 (src/runtime/lane.ts): a mocked packet's transfers and refund never reach finance
  const provider = withPaymentMocks(input.provider, { store: input.mockedOrders ?? ops, now });
  const issuer = withIssuerMock(input.issuer, { switches });
  const random = randomIntOf(k.random);
  const quiet = () => {};
  const deps: ServiceDeps = {
    store,
    claims: createClaimCoalescer({ store, now, random }),
    provider,
    limits: DEFAULT_LIMITS,
    notifyUrl: NOTIFY_URL,
    now,
    random,
    paymentRecheckDelayMs: timings.recheckAfterMs,
    subsidy: {
      tokenKey: input.tokenKey,
      issuer,
      issuerEnabled: () => !switches.isOn('degrade', 'subsidy-issuer') && !switches.isOn('mock', 'issuer'),
    },
    switches,
    paymentMock: createPaymentMock({ switches, store: ops, now }),
  };
  const limiter = createMemoryClaimLimiter(DEFAULT_LIMITER_SETTINGS, { now });
  const app = createApp({
    deps,
    jwtSecret: input.jwtSecret,
    signSecret: input.signSecret,
    limiter,
    log: quiet,
    tokenNow: now,
    ops: {
      switches,
      store: ops,
      endpointLimiter: createMemoryEndpointLimiter({ now }),
      adminKey: 'sim-admin-key-0123456789abcdef',
    },
  });
  const settlement = {
    store,
    provider,
    notifyUrl: NOTIFY_URL,
    now,
    paymentTimeoutMs: timings.paymentTimeoutMs,
    paymentRecheckDelayMs: timings.recheckAfterMs,
    retryMaxMs: timings.retryMaxMs,
    issuer,
  };
  const workers = Array.from({ length: input.workers }, (_, i) =>
    createWorker({
      store,
      handlers: createTaskHandlers(settlement),
      batchHandlers: createTaskBatchHandlers(settlement),
      timings,
      now,
      clock: k.clock,
      random: k.random,
      owner: `sim-${input.life.id}-${i}`,
      log: quiet,
    }),
  );
  const alerts = createAlertSink({ log: quiet, writeLine: quiet });
  const sweeper = createSweeper({ store, alerts, timings, now, clock: k.clock, log: quiet });
  const booker = createBooker({ queue: input.queue, store, tokenKey: input.tokenKey, now, log: quiet });
  return { life: input.life, app, workers, sweeper, booker, busy: new Set(), switches };
}
