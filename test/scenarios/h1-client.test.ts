import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/scenarios/define-scenario.js';
import { createHttpClient, type HttpClient } from '../../src/scenarios/http-client.js';

/**
 * The generator's own HTTP/1.1 client (src/scenarios/h1/) against real local servers: answers
 * split at every byte, chunked bodies, keep-alive reuse, connections the server closes, timeouts,
 * resets. The failure cases run on the undici client too: both must report the same codes.
 */

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0).reverse()) await c.close();
});

/** A raw TCP server: `answer` is called once per request (head and body read), with the socket. */
async function rawServer(answer: (socket: Socket, request: string, n: number) => void) {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const request = pending.slice(0, end + 4 + length);
        pending = pending.slice(end + 4 + length);
        answer(socket, request, n++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

async function httpServer(
  handler: Parameters<typeof createHttpServer>[1],
): Promise<{ url: string; server: HttpServer }> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function client(
  url: string,
  opts: { connections?: number; timeoutMs?: number; engine?: 'socket' | 'undici' } = {},
) {
  const c: HttpClient = createHttpClient({
    url,
    connections: opts.connections ?? 1,
    timeoutMs: opts.timeoutMs ?? 5_000,
    engine: opts.engine,
  });
  opened.push(c);
  return c;
}

const ANSWER =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
  '6;x=y\r\n{"n":"\r\n' +
  'A\r\n0123456789\r\n' +
  '2\r\n"}\r\n' +
  '0\r\nx-trailer: 1\r\n\r\n';

describe('the generator HTTP/1.1 client', () => {
  it('reads an answer the server writes in two parts, split at every byte, on one kept-alive connection', async () => {
    const bytes = Buffer.from(ANSWER);
    const server = await rawServer((socket, _request, n) => {
      const at = n % bytes.length;
      socket.write(bytes.subarray(0, at));
      setTimeout(() => socket.write(bytes.subarray(at)), 2);
    });
    const c = client(server.url);
    for (let i = 0; i < bytes.length; i++) {
      const res = await c.send({ method: 'GET', path: `/${i}` });
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({ n: '0123456789' });
    }
    expect(server.sockets.size).toBe(1);
  });

  it('joins a chunked body bigger than a read, from several connections at once, without mixing them', async () => {
    const server = await httpServer((req, res) => {
      const n = Number(req.url?.slice(1));
      res.writeHead(200, { 'content-type': 'application/json' });
      // ~200 KB in 100 writes: many reads of each connection, interleaved with the others'
      const items = Array.from({ length: 100 }, (_, i) => JSON.stringify({ n, i, pad: 'x'.repeat(2000) }));
      items.forEach((item, i) => res.write(`${i === 0 ? '[' : ','}${item}`));
      res.end(']');
    });
    const c = client(server.url, { connections: 4 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => c.send({ method: 'GET', path: `/${n}` })),
    );
    answers.forEach((res, n) => {
      const items = res.body as { n: number; i: number; pad: string }[];
      expect(items).toHaveLength(100);
      expect(items.every((x, i) => x.n === n && x.i === i && x.pad.length === 2000)).toBe(true);
    });
  });

  it('sends the body, its length and the request own headers; the length is in bytes', async () => {
    const seen: string[] = [];
    const server = await rawServer((socket, request) => {
      seen.push(request);
      socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const c = client(server.url);
    await c.send({
      method: 'POST',
      path: '/a?b=1',
      body: { name: '红包' },
      headers: { authorization: 'Bearer t' },
    });
    await c.send({ method: 'POST', path: '/empty' });
    await c.send({ method: 'GET', path: '/get', headers: { 'x-redpkt-shadow': '0' } });
    expect(seen[0]).toMatch(/^POST \/a\?b=1 HTTP\/1\.1\r\n/);
    expect(seen[0]).toContain('\r\nx-redpkt-shadow: 1\r\n');
    expect(seen[0]).toContain('\r\ncontent-type: application/json\r\n');
    expect(seen[0]).toContain('\r\nauthorization: Bearer t\r\n');
    expect(seen[0]).toContain(`\r\ncontent-length: ${Buffer.byteLength('{"name":"红包"}')}\r\n`);
    expect(Buffer.from(seen[0]!, 'latin1').toString('utf8')).toMatch(/\r\n\r\n\{"name":"红包"\}$/);
    expect(seen[1]).toContain('\r\ncontent-length: 0\r\n');
    // a request's own header replaces the one every request carries, never sent twice
    expect(seen[2]).toContain('\r\nx-redpkt-shadow: 0\r\n');
    expect(seen[2]).not.toContain('x-redpkt-shadow: 1');
    expect(seen[2]).not.toContain('content-length');
  });

  it('refuses a path or a header that would split the request, without sending anything', async () => {
    const seen: string[] = [];
    const server = await rawServer((socket, request) => {
      seen.push(request);
      socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const c = client(server.url);
    const refused: HttpRequest[] = [
      { method: 'GET', path: '/a b' },
      { method: 'GET', path: 'a' },
      { method: 'GET', path: '/a', headers: { authorization: 'x\r\nhost: evil' } },
      { method: 'GET', path: '/a', headers: { 'bad name': 'x' } },
    ];
    for (const req of refused)
      expect(await c.send(req)).toMatchObject({ status: 0, transportError: 'TRANSPORT_ERROR' });
    expect((await c.send({ method: 'GET', path: '/ok' })).status).toBe(204);
    expect(seen).toHaveLength(1);
  });

  it('opens a new connection when the server let an idle one go, and keeps one the server keeps', async () => {
    const server = await rawServer((socket, request) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      if (request.startsWith('GET /bye')) setTimeout(() => socket.end(), 10);
    });
    const c = client(server.url);
    for (let i = 0; i < 5; i++) expect((await c.send({ method: 'GET', path: '/same' })).body).toBe('ok');
    expect(server.sockets.size).toBe(1);
    expect((await c.send({ method: 'GET', path: '/bye' })).body).toBe('ok');
    await sleep(100); // the server has closed it by now
    expect((await c.send({ method: 'GET', path: '/again' })).body).toBe('ok');
    expect(server.sockets.size).toBe(2);
  });

  it('waits for the answers in flight before it closes', async () => {
    const server = await httpServer((_req, res) => setTimeout(() => res.end('late'), 100));
    const c = createHttpClient({ url: server.url, connections: 1, timeoutMs: 5_000 });
    const answer = c.send({ method: 'GET', path: '/' });
    await c.close();
    expect((await answer).body).toBe('late');
    expect(await c.send({ method: 'GET', path: '/' })).toMatchObject({
      status: 0,
      transportError: 'TRANSPORT_ERROR',
    });
  });

  it('still times out an answer that never comes while it waits to close', async () => {
    const server = await rawServer(() => undefined);
    const c = createHttpClient({ url: server.url, connections: 1, timeoutMs: 200 });
    const answer = c.send({ method: 'GET', path: '/' });
    await c.close();
    expect(await answer).toMatchObject({ status: 0, transportError: 'TIMEOUT' });
  });
});

describe.each(['socket', 'undici'] as const)('failures, as the %s client reports them', (engine) => {
  it("answers on a new connection each time the server says 'Connection: close'", async () => {
    const { url, server } = await httpServer((_req, res) => {
      res.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
      res.end('{"closed":true}');
    });
    const ports = new Set<number>();
    server.on('connection', (s: Socket) => ports.add(s.remotePort ?? 0));
    const c = client(url, { engine });
    for (let i = 0; i < 3; i++)
      expect((await c.send({ method: 'GET', path: '/' })).body).toStrictEqual({ closed: true });
    expect(ports.size).toBe(3);
  });

  it('reads a body that runs to the end of the connection', async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"until":');
      setTimeout(() => socket.end('"close"}'), 5);
    });
    const c = client(server.url, { engine });
    expect((await c.send({ method: 'GET', path: '/' })).body).toStrictEqual({ until: 'close' });
    expect((await c.send({ method: 'GET', path: '/' })).body).toStrictEqual({ until: 'close' });
  });

  it('reports a connection closed before the answer ended as SOCKET_ERROR', async () => {
    const server = await rawServer((socket, request) => {
      if (request.startsWith('GET /half')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
      else socket.end();
    });
    const c = client(server.url, { engine });
    expect(await c.send({ method: 'GET', path: '/none' })).toMatchObject({
      status: 0,
      transportError: 'SOCKET_ERROR',
    });
    expect(await c.send({ method: 'GET', path: '/half' })).toMatchObject({
      status: 0,
      transportError: 'SOCKET_ERROR',
    });
  });

  it('reports a reset in the middle of an answer as ECONNRESET, then answers on a new connection', async () => {
    const server = await rawServer((socket, request) => {
      if (!request.startsWith('GET /reset'))
        return void socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const c = client(server.url, { engine });
    const res = await c.send({ method: 'GET', path: '/reset' });
    expect(res).toMatchObject({ status: 0, transportError: 'ECONNRESET' });
    expect((await c.send({ method: 'GET', path: '/fine' })).body).toBe('ok');
  });

  it('times out an answer whose head or body stops coming, then answers on a new connection', async () => {
    const server = await rawServer((socket, request) => {
      if (request.startsWith('GET /body')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nab');
      else if (request.startsWith('GET /fine'))
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      // anything else: never answered
    });
    const c = client(server.url, { engine, timeoutMs: 300 });
    const started = performance.now();
    const head = await c.send({ method: 'GET', path: '/head' });
    expect(head).toMatchObject({
      status: 0,
      transportError: 'TIMEOUT',
      transportMessage: 'Headers Timeout Error',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await c.send({ method: 'GET', path: '/body' })).toMatchObject({
      status: 0,
      transportError: 'TIMEOUT',
      transportMessage: 'Body Timeout Error',
    });
    expect((await c.send({ method: 'GET', path: '/fine' })).body).toBe('ok');
  });

  it('reports a refused connection as ECONNREFUSED', async () => {
    const c = client('http://127.0.0.1:9', { engine });
    expect(await c.send({ method: 'GET', path: '/' })).toMatchObject({
      status: 0,
      transportError: 'ECONNREFUSED',
    });
  });

  it('reports bytes that are not an HTTP answer as TRANSPORT_ERROR', async () => {
    const server = await rawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    const c = client(server.url, { engine });
    expect(await c.send({ method: 'GET', path: '/' })).toMatchObject({
      status: 0,
      transportError: 'TRANSPORT_ERROR',
    });
  });
});
