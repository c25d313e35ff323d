import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinanceClient } from './client.js';

/** A stand-in finance answering every batch with the same crafted body. */
describe('the finance client on a batch answer', () => {
  let server: Server;
  let baseUrl: string;
  const order = {
    orderNo: 'C1',
    kind: 'transfer',
    uid: 'u1',
    amount: 100,
    status: 'succeeded',
    txnId: 'T1',
    payOrderNo: null,
    createdAt: 1,
    updatedAt: 1,
  };
  const answer = {
    results: [
      { order },
      { error: { code: 'INSUFFICIENT_BALANCE', message: 'the merchant cannot pay' } },
      { error: { code: 'SOME_NEWER_CODE', message: 'a code this client does not know' } },
    ],
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("keeps every item's answer, and turns a code it does not know into a retryable DEPENDENCY_FAILED of that item only", async () => {
    const client = createFinanceClient({ baseUrl, secret: 'client-test-secret-0123456789' });
    try {
      const results = await client.transferMany({
        transfers: ['C1', 'C2', 'C3'].map((transferNo) => ({ transferNo, uid: 'u1', amount: 100 })),
        notifyUrl: 'http://127.0.0.1:1/cb',
      });
      expect(results).toStrictEqual([
        { order },
        { error: { code: 'INSUFFICIENT_BALANCE', message: 'the merchant cannot pay' } },
        {
          error: {
            code: 'DEPENDENCY_FAILED',
            message: 'SOME_NEWER_CODE: a code this client does not know',
          },
        },
      ]);
    } finally {
      await client.close();
    }
  });
});
