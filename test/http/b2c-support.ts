/** Issue 3: a running service for the B2C suites: embedded, or MariaDB + Redis with a random key prefix. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { createRainAdminClient, createRainClient, drawRain } from '../../src/finance/rain/rain-client.js';
import type { RainAdminClient, RainClient } from '../../src/finance/rain/rain-client.js';
import type { CampaignConfig } from '../../src/finance/rain/types.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import type { Backend, TestService } from '../support/service.js';
import { startTestService } from '../support/service.js';
import { testRedisUrl } from '../support/services.js';

export interface B2cHarness {
  t: TestService;
  admin: RainAdminClient;
  /** The reward issuer as the packet service calls it (signed). */
  issuer: RainClient;
  campaign(config?: Partial<CampaignConfig>): Promise<string>;
  draw(campaign: string, uid: string): ReturnType<typeof drawRain>;
  /**
   * A JSON POST as `uid` over the harness's keep-alive pool (32 connections): a burst of many
   * waits in this client for a connection, instead of sitting half-sent on a thousand
   * connections while this busy process gets round to writing it (the server would rightly
   * time those out, issue 18).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  post(path: string, uid: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Many draws over one keep-alive pool. */
  drawMany(campaign: string, uids: readonly string[]): Promise<Awaited<ReturnType<typeof drawRain>>[]>;
  booked(campaign: string): Promise<number>;
  stop(): Promise<void>;
}

let seq = 0;
export const orderNo = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;

export async function startB2cHarness(backend: Backend, bookingRate = 2_000): Promise<B2cHarness> {
  const keyPrefix = `redpkt_test:${randomBytes(4).toString('hex')}:`;
  const t = await startTestService(backend, {
    config: { bookingRate, ...(backend === 'mysql' ? { redis: testRedisUrl } : {}) },
    opts: { grantQueue: { keyPrefix, visibilityMs: 2_000 } },
  });
  const admin = createRainAdminClient({ baseUrl: t.url, secret: financeSignSecret(t.service.secret) });
  const issuer = createRainClient({ baseUrl: t.url, secret: financeSignSecret(t.service.secret) });
  const pool = new Pool(t.url, { connections: 32, pipelining: 1 });
  const draw = async (campaign: string, uid: string) => drawRain(t.url, campaign, await t.token(uid));
  return {
    t,
    admin,
    issuer,
    draw,
    async campaign(config = {}) {
      const id = orderNo('camp');
      await admin.setCampaign(id, {
        budget: 100_000_000,
        probability: 1,
        minAmount: 100,
        maxAmount: 2_000,
        tokenTtlSec: 3_600,
        ...config,
      });
      return id;
    },
    async post(path, uid, body) {
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${await t.token(uid)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.statusCode, body: await res.body.json() };
    },
    async drawMany(campaign, uids) {
      return Promise.all(
        uids.map(async (uid) => {
          const res = await pool.request({
            method: 'POST',
            path: `/finance/rain/${campaign}/draw`,
            headers: { authorization: `Bearer ${await t.token(uid)}` },
          });
          const body = (await res.body.json()) as Awaited<ReturnType<typeof drawRain>>;
          if (res.statusCode !== 200)
            throw new Error(`draw answered ${res.statusCode}: ${JSON.stringify(body)}`);
          return body;
        }),
      );
    },
    booked: async (campaign) => (await t.service.store.countSubsidies(campaign)).count,
    async stop() {
      await pool.close();
      await admin.close();
      await issuer.close();
      await t.stop();
      if (backend === 'mysql') {
        const redis = new Redis(testRedisUrl);
        try {
          const keys = await redis.keys(`${keyPrefix}*`);
          if (keys.length > 0) await redis.del(...keys);
        } finally {
          redis.disconnect();
        }
      }
    },
  };
}

/** Polls until `check` holds or `ms` passed; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000, everyMs = 25): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
