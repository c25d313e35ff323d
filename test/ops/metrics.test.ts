import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPacketId } from '../../src/domain/ids.js';
import type { OpsService } from './support/ops-service.js';
import { startOpsService, within } from './support/ops-service.js';

let svc: OpsService;
beforeAll(async () => {
  svc = await startOpsService();
});
afterAll(async () => {
  await svc.stop();
});

async function scrape(): Promise<string> {
  const r = await svc.call('GET', '/metrics');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.body as string;
}

/** The value of one sample, e.g. sample(text, 'redpkt_switch_on{kind="degrade",name="claim"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests by route pattern and status code, with latency histograms', async () => {
    const packetId = await svc.activePacket('m-sender', {
      outOrderNo: 'm1',
      totalAmount: 100,
      totalCount: 2,
    });
    await svc.call('GET', `/v1/packets/${packetId}`, { uid: 'm-bob' });
    await svc.call('GET', `/v1/packets/${packetId}`, { uid: 'm-bob' });
    await svc.call('GET', `/v1/packets/${newPacketId()}`, { uid: 'm-bob' }); // no such packet
    const text = await scrape();
    expect(
      sample(text, 'redpkt_http_requests_total{method="GET",route="/v1/packets/:id",code="200"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'redpkt_http_requests_total{method="GET",route="/v1/packets/:id",code="404"}')).toBe(
      1,
    );
    expect(
      sample(text, 'redpkt_http_request_duration_seconds_count{method="GET",route="/v1/packets/:id"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(packetId); // patterns, never raw paths
    expect(text).toMatch(/^redpkt_nodejs_heap_size_used_bytes /m);
  });

  it('shows switch states and limits as this instance sees them', async () => {
    await svc.call('PUT', '/admin/switches/degrade/claim', { admin: true, body: { on: true } });
    await svc.call('PUT', '/admin/switches/limit/query-details', { admin: true, body: { perSecond: 7 } });
    const text = await scrape();
    expect(sample(text, 'redpkt_switch_on{kind="degrade",name="claim"}')).toBe(1);
    expect(sample(text, 'redpkt_switch_on{kind="mock",name="payment"}')).toBe(0);
    expect(sample(text, 'redpkt_endpoint_limit_per_second{endpoint="query-details"}')).toBe(7);
    await svc.call('PUT', '/admin/switches/degrade/claim', { admin: true, body: { on: false } });
    await svc.call('PUT', '/admin/switches/limit/query-details', { admin: true, body: { perSecond: null } });
  });

  it('holds an endpoint limit in process, and counts the refusals', async () => {
    const packetId = await svc.activePacket('m-sender', {
      outOrderNo: 'm2',
      totalAmount: 100,
      totalCount: 1,
    });
    await svc.call('PUT', '/admin/switches/limit/query-details', { admin: true, body: { perSecond: 5 } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => svc.call('GET', `/v1/packets/${packetId}`, { uid: 'm-bob' })),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect(refused[0]?.body.error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { endpoint: 'query-details' },
    });
    expect(refused[0]?.body.error.retryAfterMs).toBeGreaterThan(0);
    // other endpoints are not limited by it
    expect((await svc.call('POST', `/v1/packets/${packetId}/claims`, { uid: 'm-carol' })).status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'redpkt_limiter_rejections_total{limiter="endpoint",endpoint="query-details"}')).toBe(
      15,
    );
    await svc.call('PUT', '/admin/switches/limit/query-details', { admin: true, body: { perSecond: null } });
  });

  it("counts the per-packet claim limiter's refusals apart from the endpoint limiter's", async () => {
    // an unpaid packet of 4 shares: the limiter learnt them at the send (6 attempts per 100 ms),
    // and its refused claims (PACKET_NOT_ACTIVE) teach it nothing, so the burst meets that limit
    const created = await svc.call('POST', '/v1/c2c/packets', {
      uid: 'm-sender',
      body: { outOrderNo: 'm4', totalAmount: 1000, totalCount: 4, splitMode: 'random' },
    });
    const packetId = created.body.packetId as string;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        svc.call('POST', `/v1/packets/${packetId}/claims`, { uid: `m-c${i}` }),
      ),
    );
    const limited = answers.filter((a) => a.status === 429).length;
    expect(limited).toBeGreaterThan(0);
    const text = await scrape();
    expect(sample(text, 'redpkt_limiter_rejections_total{limiter="packet",endpoint="claim"}')).toBe(limited);
    expect(
      sample(text, 'redpkt_limiter_rejections_total{limiter="endpoint",endpoint="claim"}'),
    ).toBeUndefined();
  });

  it('counts claims, transfers and payments by state, and the claim queues', async () => {
    const packetId = await svc.activePacket('m-sender', {
      outOrderNo: 'm3',
      totalAmount: 300,
      totalCount: 3,
    });
    for (const uid of ['m-u1', 'm-u2', 'm-u3'])
      await svc.call('POST', `/v1/packets/${packetId}/claims`, { uid });
    // the worker transfers every claim; the gauges are read at most once a second
    const settled = await within(10_000, async () => {
      const text = await scrape();
      return (sample(text, 'redpkt_claims{status="transferred"}') ?? 0) >= 3;
    });
    expect(settled).not.toBeNull();
    const text = await scrape();
    expect(sample(text, 'redpkt_payments{status="paid"}')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'redpkt_packets{type="c2c",status="exhausted"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'redpkt_queue_depth{queue="claim-packets"}')).toBe(0);
    expect(sample(text, 'redpkt_queue_depth{queue="claims-in-flight"}')).toBe(0);
  }, 20_000);

  it('echoes a request id, or makes one, on every answer', async () => {
    const given = await svc.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await svc.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // error answers too: a refused token, and a route that does not exist
    const refused = await svc.call('GET', '/v1/me/balance', { headers: { 'x-request-id': 'trace-43' } });
    expect([refused.status, refused.headers.get('x-request-id')]).toStrictEqual([401, 'trace-43']);
    const missing = await svc.call('GET', '/no/such/route', { headers: { 'x-request-id': 'trace-44' } });
    expect([missing.status, missing.headers.get('x-request-id')]).toStrictEqual([404, 'trace-44']);
  });
});
