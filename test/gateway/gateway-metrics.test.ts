/**
 * The gateway's own `GET /metrics` (`serve --role gateway`): what it answered, what its claim
 * limiter refused, and each core's state, in front of a stand-in core. /metrics (GET or HEAD) is
 * never forwarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { DEFAULT_LIMITER_SETTINGS } from '../../src/cache/claim-limiter.js';
import type { RunningGateway } from '../../src/runtime/start-gateway.js';
import { freePort, packetOwnedBy, startFakeCore, type FakeCore } from './fake-core.js';
import { startTestGateway } from './test-gateway.js';

const SECRET = 'gateway-metrics-secret-0123456789';

describe('the gateway /metrics', () => {
  let core: FakeCore;
  let down: string;
  let gw: RunningGateway;
  beforeAll(async () => {
    core = await startFakeCore();
    down = `http://127.0.0.1:${await freePort()}`;
    gw = await startTestGateway([core.url, down], SECRET);
  });
  afterAll(async () => {
    await gw?.close();
    await core?.close();
  });

  /** The value of one sample line of the exposition, e.g. `name{labels}`. */
  const sample = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it(
    'counts answers by route class and status, the limiter refusals, and each core, forwarding none of it',
    { timeout: 180_000 },
    async () => {
      for (const until = Date.now() + 30_000; gw.cores.isUp(1);) {
        if (Date.now() > until) throw new Error('the missing core was never marked down');
        await new Promise((r) => setTimeout(r, 20));
      }
      const id = packetOwnedBy([core.url, down], 0);
      const auth = { authorization: `Bearer ${await issueToken(SECRET, 'u1')}` };
      core.behave((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            claimNo: `${id}-1`,
            packetId: id,
            amount: 5,
            remainingCount: 2,
            status: 'pending',
          }),
        );
      });
      const claim = () => fetch(`${gw.url}/v1/packets/${id}/claims`, { method: 'POST', headers: auth });
      expect((await claim()).status).toBe(200);
      // The limiter learns "remaining 2" from an answer, asynchronously, and then admits
      // ceil(2 x factor) claims a window. A burst sized by that config (twenty windows' worth at
      // once) is refused in part unless it took twenty windows to arrive; burst until one was
      // refused, however slow the machine is (issue 18).
      const { factor, windowMs } = DEFAULT_LIMITER_SETTINGS;
      const burstSize = Math.ceil(2 * factor) * 20;
      const statuses: number[] = [];
      for (const until = Date.now() + 60_000; Date.now() < until && !statuses.includes(429);) {
        const burst = await Promise.all(Array.from({ length: burstSize }, claim));
        statuses.push(...burst.map((r) => r.status));
        if (!statuses.includes(429)) await new Promise((r) => setTimeout(r, windowMs));
      }
      const limited = statuses.filter((s) => s === 429).length;
      expect(limited).toBeGreaterThan(0);
      const received = core.received.length;

      const res = await fetch(`${gw.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(core.received).toHaveLength(received);

      const route = 'route="/v1/packets/:id/claims"';
      expect(sample(text, `redpkt_http_requests_total{method="POST",${route},code="200"}`)).toBe(
        1 + statuses.filter((s) => s === 200).length,
      );
      expect(sample(text, `redpkt_http_requests_total{method="POST",${route},code="429"}`)).toBe(limited);
      expect(
        sample(text, `redpkt_limiter_rejections_total{limiter="packet",endpoint="/v1/packets/:id/claims"}`),
      ).toBe(limited);
      expect(sample(text, `redpkt_gateway_core_up{core="${core.url}"}`)).toBe(1);
      expect(sample(text, `redpkt_gateway_core_up{core="${down}"}`)).toBe(0);
      expect(sample(text, `redpkt_gateway_core_forwarded{core="${core.url}"}`)).toBe(received);
      expect(sample(text, 'redpkt_limiter_bypassed{limiter="packet"}')).toBe(0);
    },
  );

  it('answers HEAD /metrics itself: the headers GET has, no body, nothing forwarded', async () => {
    const received = core.received.length;
    const res = await fetch(`${gw.url}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await res.text()).toBe('');
    const get = await fetch(`${gw.url}/metrics`);
    expect(Number(get.headers.get('content-length'))).toBe(Buffer.byteLength(await get.text()));
    expect(core.received).toHaveLength(received);
  });
});
