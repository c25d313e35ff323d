import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/scenarios/http-client.js';
import type { HttpClient } from '../../src/scenarios/http-client.js';

/** Answers the shapes a generator meets: JSON in one chunk or many, text, no body, and a dropped connection. */
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    switch (req.url) {
      case '/json':
        res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end(JSON.stringify({ id: 'a', shadow: req.headers['x-redpkt-shadow'] }));
      case '/chunked':
        // no content-length: chunked, the body arrives in separate pieces
        res.writeHead(409, { 'content-type': 'application/json' });
        res.write('{"error":{"code":"ALREADY_CLAIMED",');
        return setTimeout(() => res.end('"message":"twice"}}'), 20);
      case '/upper':
        // a vendor type, upper case: still JSON
        res.writeHead(200, { 'content-type': 'APPLICATION/VND.REDPKT+JSON' });
        return res.end('{"up":true}');
      case '/jso':
        // "jso" is not "json"; the body stays text
        res.writeHead(200, { 'content-type': 'text/jso' });
        return res.end('{"not":"parsed"}');
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('{"not":"parsed"}');
      case '/bad-json':
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end('{oops');
      case '/empty':
        res.writeHead(204);
        return res.end();
      default:
        req.socket.destroy();
        return undefined;
    }
  });
});

let client: HttpClient;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createHttpClient({ url: `http://127.0.0.1:${port}`, connections: 2, timeoutMs: 5_000 });
});
afterAll(async () => {
  await client.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('the generator HTTP client', () => {
  it('parses a JSON body whatever the case of its content-type header, and sends the shadow mark', async () => {
    const res = await client.send({ method: 'POST', path: '/json', body: { x: 1 } });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({ id: 'a', shadow: '1' });
    expect((await client.send({ method: 'GET', path: '/upper' })).body).toStrictEqual({ up: true });
    expect((await client.send({ method: 'GET', path: '/jso' })).body).toBe('{"not":"parsed"}');
  });

  it('leaves the shadow mark off only when told to (the claim benchmark drives its own real lane)', async () => {
    const { port } = server.address() as AddressInfo;
    const real = createHttpClient({
      url: `http://127.0.0.1:${port}`,
      connections: 1,
      timeoutMs: 5_000,
      shadow: false,
    });
    try {
      expect((await real.send({ method: 'POST', path: '/json', body: {} })).body).toStrictEqual({ id: 'a' });
    } finally {
      await real.close();
    }
  });

  it('joins a body that arrives in several chunks before parsing it', async () => {
    const res = await client.send({ method: 'GET', path: '/chunked' });
    expect(res.status).toBe(409);
    expect(res.body).toStrictEqual({ error: { code: 'ALREADY_CLAIMED', message: 'twice' } });
  });

  it('keeps a non-JSON body, or JSON that does not parse, as text; no body is the empty string', async () => {
    expect((await client.send({ method: 'GET', path: '/text' })).body).toBe('{"not":"parsed"}');
    expect(await client.send({ method: 'GET', path: '/bad-json' })).toMatchObject({
      status: 500,
      body: '{oops',
    });
    expect(await client.send({ method: 'GET', path: '/empty' })).toMatchObject({ status: 204, body: '' });
  });

  it('answers a dropped connection with a transport code instead of throwing', async () => {
    const res = await client.send({ method: 'GET', path: '/drop' });
    expect(res).toMatchObject({ status: 0, transportError: 'SOCKET_ERROR' });
  });
});

describe('the generator connections', () => {
  it('keeps at most `connections` keep-alive connections, one request on each at a time, the rest waiting in line', async () => {
    const sockets = new Set<number>();
    let inFlight = 0;
    let most = 0;
    const slow = createServer((req, res) => {
      sockets.add(req.socket.remotePort ?? 0);
      most = Math.max(most, ++inFlight);
      req.resume();
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ n: Number(req.url?.slice(1)) }));
      }, 15);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const { port } = slow.address() as AddressInfo;
    const three = createHttpClient({ url: `http://127.0.0.1:${port}`, connections: 3, timeoutMs: 5_000 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => three.send({ method: 'GET', path: `/${i}` })),
      );
      expect(answers.map((a) => (a.body as { n: number }).n)).toStrictEqual(
        Array.from({ length: 30 }, (_, i) => i),
      );
      expect(most).toBe(3);
      expect(sockets.size).toBe(3);
    } finally {
      await three.close();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
