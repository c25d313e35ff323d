/**
 * The simulated payment provider, composed: its own store (migrated), knobs, counters,
 * callback notifier, use cases and HTTP app.
 */
import type { Hono } from 'hono';
import type { Fen } from '../domain/money.js';
import { subsidyTokenKey } from '../auth/subsidy-token.js';
import { createFinanceApp } from './http/create-finance-app.js';
import { createKnobs } from './knobs.js';
import type { Knobs, KnobsPatch } from './knobs.js';
import { createNotifier } from './notifier.js';
import type { Notifier } from './notifier.js';
import type { Random } from './random.js';
import { createRainService } from './rain/rain-service.js';
import type { RainOptions, RainService } from './rain/rain-service.js';
import { createFinanceService } from './service.js';
import type { FinanceService } from './service.js';
import { createStats } from './stats.js';
import type { Stats } from './stats.js';
import { createFinanceStore } from './store/create-finance-store.js';
import type { FinanceStore, FinanceStoreConfig } from './store/types.js';

export const DEFAULT_INITIAL_BALANCE: Fen = 1_000_000;
/** The platform's float: enough for any rehearsal, finite so it can still run out. */
export const DEFAULT_MERCHANT_INITIAL_BALANCE: Fen = 100_000_000_000;

export interface FinanceConfig {
  store: FinanceStoreConfig;
  /** Verifies payers' JWTs at the cashier. */
  jwtSecret: string;
  /** Issue 18: the longest bearer-token lifetime accepted (serve's `--max-token-lifetime`). */
  maxTokenLifetimeSec?: number | undefined;
  /** Signs callbacks and verifies service calls. */
  signSecret: string;
  /** Base of cashier URLs, e.g. http://127.0.0.1:8080; the request's origin when not set. */
  publicUrl?: string;
  /** A new user's opening balance, funded (and ledgered) from the issuer. Default 1,000,000 fen. */
  initialBalance?: Fen;
  merchantInitialBalance?: Fen;
  /** Dice for every knob; pass a seeded one (random.ts) for reproducible runs. Default Math.random. */
  random?: Random;
  knobs?: KnobsPatch;
  now?: () => number;
  /** Callback retry shape; tests shorten it. */
  callbacks?: { attempts?: number; backoffMs?: number; timeoutMs?: number };
  log?: (msg: string, err: unknown) => void;
  /** Issue 3: the reward issuer's token key and grant queue (see rain/rain-service.ts). */
  rain?: RainOptions;
}

export interface Finance {
  app: Hono;
  store: FinanceStore;
  knobs: Knobs;
  stats: Stats;
  notifier: Notifier;
  service: FinanceService;
  /** Issue 3: the reward issuer (red-packet rain). */
  rain: RainService;
  close(): Promise<void>;
}

export async function createFinance(config: FinanceConfig): Promise<Finance> {
  const store = createFinanceStore(config.store);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  const now = config.now ?? Date.now;
  const random = config.random ?? Math.random;
  const knobs = createKnobs(config.knobs);
  const stats = createStats();
  const notifier = createNotifier({
    secret: config.signSecret,
    knobs,
    random,
    now,
    ...config.callbacks,
    ...(config.log ? { log: config.log } : {}),
  });
  const service = createFinanceService({
    store,
    knobs,
    notifier,
    now,
    initialBalance: config.initialBalance ?? DEFAULT_INITIAL_BALANCE,
    merchantInitialBalance: config.merchantInitialBalance ?? DEFAULT_MERCHANT_INITIAL_BALANCE,
  });
  const rain = createRainService({
    store,
    // the packet service opens tokens with the key derived from the same service secret
    tokenKey: config.rain?.tokenKey ?? subsidyTokenKey(config.jwtSecret),
    queue: config.rain?.queue,
    random,
    now,
    merchantInitialBalance: config.merchantInitialBalance ?? DEFAULT_MERCHANT_INITIAL_BALANCE,
    log: config.log ?? ((msg, err) => console.error(msg, err)),
    ...(config.rain?.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: config.rain.sweepIntervalMs }),
    ...(config.rain?.republishAfterMs === undefined
      ? {}
      : { republishAfterMs: config.rain.republishAfterMs }),
  });
  const app = createFinanceApp({
    service,
    rain,
    store,
    knobs,
    stats,
    notifier,
    random,
    jwtSecret: config.jwtSecret,
    maxTokenLifetimeSec: config.maxTokenLifetimeSec,
    signSecret: config.signSecret,
    now,
    ...(config.publicUrl ? { publicUrl: config.publicUrl.replace(/\/+$/, '') } : {}),
    ...(config.log ? { log: config.log } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    app,
    store,
    knobs,
    stats,
    notifier,
    service,
    rain,
    close() {
      closing ??= (async () => {
        await rain.close();
        await notifier.close();
        await store.close();
      })();
      return closing;
    },
  };
}
