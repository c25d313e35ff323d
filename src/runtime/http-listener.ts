import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Http2Bindings, HttpBindings, ServerType } from '@hono/node-server';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../config/http-config.js';
import { RedpktError } from '../domain/errors.js';

/**
 * Node's default backlog (511) overflows when a burst of claimers connects at once (1,000 in the
 * claim benchmark): the kernel drops their SYNs and they retry after 1 s, then 3 s, which was the
 * whole p99 of a hot packet (issue 6). The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

export interface HttpListener {
  server: ServerType;
  port: number;
  /** How this process reaches itself, e.g. http://127.0.0.1:8080 (a wildcard bind becomes loopback). */
  url: string;
  close(): Promise<void>;
}

/**
 * What @hono/node-server hands `fetch` beside the request: Node's own request and response
 * objects. Passed on as the Hono env, so middleware can set a response header on Node's response
 * directly (see observe.ts) instead of materialising a WHATWG Headers object per request.
 */
export type NodeBindings = HttpBindings | Http2Bindings;

export interface ListenOptions {
  /** Longest wait for a request's headers (Node: `headersTimeout`); then 408 and close. */
  headersTimeoutMs?: number;
  /** Longest wait for a whole request, body included (Node: `requestTimeout`); then 408 and close. */
  requestTimeoutMs?: number;
  /**
   * Issue 25: offered every request first, on Node's own request and response; true when it
   * answered it, false to leave it to `fetch` (the claim's fast path, src/server/claim-fast-path.ts).
   */
  first?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** How long a connection answered 408/400 is read and discarded before it is destroyed. */
const LINGER_MS = 2_000;

/** What Node's HTTP server keeps on a connection's socket (not in its public types). */
type ServerSocket = Socket & { parser?: { unconsume?: () => void } | null };

/**
 * Issue 18: a lingering close, as nginx does. Destroying a socket whose client is still sending
 * (a body that came too slowly, or a busy client that wrote its headers and not yet its body)
 * makes the kernel answer the unread bytes with a reset, and the client sees ECONNRESET instead
 * of the 408 written just before. So: the HTTP parser lets go of the connection (the request in
 * progress never completes, so its handler never acts on it: it sees the request aborted when
 * the socket closes), what still comes is read and dropped, our side is half-closed after the
 * answer, and the socket is destroyed when the client closes or after LINGER_MS at most.
 */
function lingeringClose(socket: ServerSocket): void {
  socket.parser?.unconsume?.();
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
  socket.end();
}

/**
 * Issue 18: what Node answers a client that broke the protocol or ran out of time (Node's own
 * answers are bare, with no body): our error shape, and the connection closed, since the rest of
 * what that client sends cannot be trusted to start a new request.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (socket.writable && socket.bytesWritten === 0) {
    const [status, reason, code, message] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'the request was not received in time']
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'VALIDATION_FAILED', 'request headers too large']
          : [400, 'Bad Request', 'VALIDATION_FAILED', 'malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message } });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    lingeringClose(socket);
    return;
  }
  // part of another answer is on the wire already: nothing more can be said on this connection
  socket.destroy(err);
}

/** Serves `fetch` on host:port (0 picks a free port) and resolves once it listens. */
export async function listenHttp(
  fetch: (req: Request, env: NodeBindings) => Response | Promise<Response>,
  host: string,
  port: number,
  opts: ListenOptions = {},
): Promise<HttpListener> {
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout);
  // what @hono/node-server's createAdaptorServer makes, with `first` ahead of its listener
  const listener = getRequestListener(fetch, { hostname: host });
  const { first } = opts;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // Node checks both timeouts only this often (default 30 s, longer than the timeouts themselves)
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    first
      ? (req, res) => {
          if (!first(req, res)) void listener(req, res);
        }
      : listener,
  );
  server.on('clientError', answerClientError);
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    const onError = (e: Error) =>
      reject(new RedpktError('DEPENDENCY_FAILED', `cannot listen: ${e.message}`, { cause: e }));
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
    server.listen({ port, host, backlog: LISTEN_BACKLOG });
  });
  // Issue 6: once closing, every answer ends its connection (`Connection: close`). Node keeps
  // serving requests that arrive on kept-alive connections after server.close(), so a client that
  // keeps one busy (a gateway's pool and its health checks) would keep a closing core answering,
  // and close() waiting, forever.
  let closing = false;
  server.prependListener('request', (_req: unknown, res: { shouldKeepAlive: boolean }) => {
    if (closing) res.shouldKeepAlive = false;
  });
  const selfHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    port: address.port,
    url: `http://${selfHost.includes(':') ? `[${selfHost}]` : selfHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
