import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubServer {
  url: string;
  /** Requests seen, and how many lacked the shadow header. */
  stats: { requests: number; unshadowed: number };
  close(): Promise<void>;
}

export type StubHandler = (
  req: IncomingMessage,
  body: string,
  n: number,
) => Promise<{ status?: number; json: unknown }> | { status?: number; json: unknown };

/** A tiny real HTTP server (keep-alive) for runner tests: `handler` answers each request with JSON. */
export async function startStubServer(handler: StubHandler): Promise<StubServer> {
  const stats = { requests: 0, unshadowed: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const n = ++stats.requests;
    if (req.headers['x-redpkt-shadow'] !== '1') stats.unshadowed++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      void Promise.resolve(handler(req, body, n)).then(({ status, json }) => {
        const text = JSON.stringify(json);
        res.writeHead(status ?? 200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A stall: from the `atRequest`-th request on, every answer waits until `ms` after that request
 * arrived (a GC pause or lock in the server), then the server is fast again.
 */
export function stallOnce(atRequest: number, ms: number): (n: number) => Promise<void> {
  let until = 0;
  return async (n) => {
    if (n === atRequest) until = performance.now() + ms;
    // Timers may fire a hair early: wait until the stall is really over.
    for (let wait = until - performance.now(); wait > 0; wait = until - performance.now()) {
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    }
  };
}
