/**
 * A stand-in core for the gateway's proxy tests: a real HTTP server on an ephemeral port that
 * records every request it receives and answers as the test says (or drops the connection, or
 * never answers). No database is involved: the routing tests with real cores are
 * routing.mysql.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newPacketId } from '../../src/domain/ids.js';
import { createRendezvous } from '../../src/gateway/rendezvous.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Behaviour = (req: Received, res: ServerResponse) => void;

export interface FakeCore {
  url: string;
  port: number;
  received: Received[];
  /** What the core does with the next requests (default: echo as JSON, 200). */
  behave(b: Behaviour): void;
  close(): Promise<void>;
}

export const echo: Behaviour = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-fake': 'yes' });
  res.end(JSON.stringify(req));
};

/** The core dies with the request in hand: the socket is destroyed before any answer. */
export const dropConnection: Behaviour = (_req, res) => {
  res.socket?.destroy();
};

/** Never answers (until the server closes). */
export const hang: Behaviour = () => {};

export async function startFakeCore(port = 0): Promise<FakeCore> {
  const received: Received[] = [];
  let behaviour: Behaviour = echo;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const probe = r.url === '/healthz' || r.url === '/readyz';
      if (!probe) received.push(r);
      if (probe) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(r.url === '/readyz' ? '{"status":"ready","checks":{}}' : '{"ok":true}');
        return;
      }
      behaviour(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    behave: (b) => void (behaviour = b),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh packet id whose top-ranked core among `origins` is `origins[index]`. */
export function packetOwnedBy(origins: readonly string[], index: number): string {
  const ranking = createRendezvous(origins);
  for (;;) {
    const id = newPacketId();
    if (ranking.rank(id)[0] === index) return id;
  }
}
