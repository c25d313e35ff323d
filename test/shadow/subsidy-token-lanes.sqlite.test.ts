/**
 * DESIGN §2 (real data never sees shadow data) for B2C subsidies: a token drawn in the shadow
 * (load-test) lane is sealed with that lane's own key, so the real lane refuses it exactly as it
 * refuses a forged token — no real packet, no real subsidy balance, no real withdrawal from a
 * rehearsal's grant — and the other way round. End to end over HTTP on the embedded all-in-one
 * service, plus the worker role, which works both lanes with each lane's own key.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import type { ServeConfig } from '../../src/config/serve-config.js';
import { createRainAdminClient, type RainAdminClient } from '../../src/finance/rain/rain-client.js';
import type { Lane } from '../../src/runtime/lane.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { startService, type RunningService } from '../../src/runtime/start-service.js';
import { startWorkerService } from '../../src/runtime/start-worker-service.js';

const SECRET = 'lanes-test-secret-0123456789abcdef';
const SHADOW = { 'x-redpkt-shadow': '1' };
const CAMPAIGN = 'load-x';
let seq = 0;
const orderNo = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;

async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Grant {
  tokenId: string;
  token: string;
  amount: number;
}

describe('subsidy tokens are bound to their lane (embedded all-in-one)', () => {
  let dataDir: string;
  let config: ServeConfig;
  let service: RunningService;
  let shadowLane: Lane;
  const admins: RainAdminClient[] = [];

  const call = async (
    method: string,
    path: string,
    uid: string,
    body?: unknown,
    headers = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await issueToken(SECRET, uid)}`,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
  const draw = async (uid: string, headers: Record<string, string> = {}): Promise<Grant> => {
    const r = await call('POST', `/finance/rain/${CAMPAIGN}/draw`, uid, undefined, headers);
    if (r.status !== 200 || !r.body.won) throw new Error(`draw: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.grant as Grant;
  };
  const send = (uid: string, token: string, headers: Record<string, string> = {}) =>
    call(
      'POST',
      '/v1/b2c/packets',
      uid,
      { outOrderNo: orderNo('b2c'), subsidyToken: token, totalCount: 2 },
      headers,
    );
  const tampered = (token: string) => `${token.slice(0, -3)}${token.endsWith('A') ? 'B' : 'A'}AA`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'redpkt-lanes-'));
    config = {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      mysql: [],
      redis: undefined,
      secret: SECRET,
      worker: { pollMs: 20 },
    };
    service = await startService(config, { log: () => {} });
    shadowLane = await service.shadow();
    // the same campaign id in both lanes' issuers, set up with the signed admin API
    for (const headers of [{}, SHADOW]) {
      const admin = createRainAdminClient({
        baseUrl: service.url,
        secret: financeSignSecret(SECRET),
        headers,
      });
      admins.push(admin);
      await admin.setCampaign(CAMPAIGN, {
        budget: 10_000_000,
        probability: 1,
        minAmount: 100,
        maxAmount: 2_000,
        tokenTtlSec: 3_600,
      });
    }
  });
  afterAll(async () => {
    for (const admin of admins) await admin.close();
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a shadow-drawn token in the real lane's B2C send exactly as it refuses a forged one", async () => {
    const shadowGrant = await draw('ordinary-user', SHADOW);
    const realGrant = await draw('ordinary-user');

    const crossed = await send('ordinary-user', shadowGrant.token);
    const forged = await send('ordinary-user', tampered(realGrant.token));

    expect([crossed.status, crossed.body.error?.code]).toStrictEqual([400, 'SUBSIDY_INVALID']);
    expect([crossed.status, crossed.body.error?.code]).toStrictEqual([
      forged.status,
      forged.body.error?.code,
    ]);
    // nothing of it reached the real lane's books
    expect(await service.store.getSubsidy(shadowGrant.tokenId)).toBeNull();
    expect((await call('GET', '/v1/me/balance', 'ordinary-user')).body).toMatchObject({
      available: 0,
      held: 0,
    });
    // in its own lane the same token sends a (shadow-marked) packet
    const own = await send('ordinary-user', shadowGrant.token, SHADOW);
    expect(own.status).toBe(201);
    expect(own.body.packetId).toMatch(/^S/);
  });

  it("refuses a real token in the shadow lane's B2C send, and sends it in the real lane", async () => {
    const realGrant = await draw('real-user');

    const crossed = await send('real-user', realGrant.token, SHADOW);
    expect([crossed.status, crossed.body.error?.code]).toStrictEqual([400, 'SUBSIDY_INVALID']);
    expect(await shadowLane.store.getSubsidy(realGrant.tokenId)).toBeNull();

    const own = await send('real-user', realGrant.token);
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ totalAmount: realGrant.amount, tokenId: realGrant.tokenId });
    expect(own.body.packetId).toMatch(/^P/);
  });

  it("books each lane's grant messages with that lane's key, and drops a shadow token on the real queue", async () => {
    const shadowGrant = await draw('booked-user', SHADOW);
    expect(
      await eventually(async () => (await shadowLane.store.getSubsidy(shadowGrant.tokenId)) !== null),
    ).toBe(true);

    const { booking, queue } = service.subsidy;
    const invalid = booking.stats().invalid;
    await queue.publish([shadowGrant.token]);
    expect(await eventually(async () => booking.stats().invalid === invalid + 1)).toBe(true);
    expect(await service.store.getSubsidy(shadowGrant.tokenId)).toBeNull();
  });

  it("has the worker role book each lane's grants with that lane's own key", async () => {
    // this process's booking workers pause; the worker role (same data dir, same queues) books
    service.subsidy.booking.setRate(0);
    shadowLane.subsidy.booking.setRate(0);
    await new Promise((r) => setTimeout(r, 400)); // a receive in flight returns
    const worker = await startWorkerService(
      { ...config, role: 'worker', financeUrl: service.url, port: 0 },
      { log: () => {} },
    );
    try {
      const shadowGrant = await draw('worker-user', SHADOW);
      const realGrant = await draw('worker-user');
      expect(
        await eventually(
          async () =>
            (await shadowLane.store.getSubsidy(shadowGrant.tokenId)) !== null &&
            (await service.store.getSubsidy(realGrant.tokenId)) !== null,
        ),
      ).toBe(true);

      // a shadow token on the real lane's queue: the worker role drops it, books nothing real
      await service.subsidy.queue.publish([shadowGrant.token]);
      expect(await eventually(async () => (await service.subsidy.queue.depth()) === 0)).toBe(true);
      expect(await service.store.getSubsidy(shadowGrant.tokenId)).toBeNull();
      expect(await shadowLane.store.getSubsidy(realGrant.tokenId)).toBeNull();
    } finally {
      await worker.close();
      service.subsidy.booking.setRate(2_000);
      shadowLane.subsidy.booking.setRate(2_000);
    }
  }, 30_000);
});
