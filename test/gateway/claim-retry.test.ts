/**
 * The core's own claim limiter (the all-in-one `serve`, no gateway in front): once it has learned
 * that a packet is exhausted, a claimer who holds the last share and lost the answer still gets
 * their claim back, not PACKET_EXHAUSTED. (The gateway's twin: proxy.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';

describe('a claim retried after the packet ran out (core limiter on)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService('sqlite');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers the claimer of the last share 200 with the same claimNo, others PACKET_EXHAUSTED', async () => {
    const id = await t.activePacket('retry-sender', {
      outOrderNo: `retry-${process.pid}-${Date.now()}`,
      totalAmount: 300,
      totalCount: 2,
    });
    const a = await t.claim(id, 'retry-a');
    const last = await t.claim(id, 'retry-holder');
    expect([a.status, last.status, last.body.remainingCount]).toEqual([200, 200, 0]);
    // the limiter has learned remaining 0 from that answer (and from this refusal)
    const late = await t.claim(id, 'retry-late');
    expect([late.status, late.body.error.code]).toEqual([409, 'PACKET_EXHAUSTED']);

    // the holder lost the answer and asks again
    const again = await t.claim(id, 'retry-holder');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      claimNo: last.body.claimNo,
      amount: last.body.amount,
      remainingCount: 0,
      created: false,
    });
    const list = await t.call('GET', `/v1/packets/${id}/claims`, { uid: 'x' });
    expect([list.body.claimedCount, list.body.claimedAmount]).toEqual([2, 300]);
  });
});
