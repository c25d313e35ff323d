import { connect, type Socket } from 'node:net';
import { CollectedResponse } from '../collected-response.js';
import {
  connectionCount,
  createConnectionSlots,
  type ConnectionSlots,
  type SlotWaiter,
} from '../connection-slots.js';
import type { HttpRequest } from '../define-scenario.js';
import { transportCode, type HttpClient, type RawResponse, type RequestHeaders } from '../http-answer.js';
import { createRequestBytes, InvalidRequest, type RequestBytes } from './request-bytes.js';
import { FAILED, MORE, ResponseParser, type ResponseSink } from './response-parser.js';

/**
 * The generator's HTTP/1.1 client for `http:` targets, on `net.Socket` as autocannon's is: its
 * own keep-alive connections (one request on each at a time, ../connection-slots.ts), each
 * request's bytes one string from a prebuilt header block (./request-bytes.ts), a minimal answer
 * parser (./response-parser.ts). It replaced undici here because undici's own request path cost
 * more CPU per request than autocannon's whole (docs/performance.md, "The generator against
 * autocannon"); undici still serves `https:` (../undici-client.ts).
 *
 * Failures are reported as undici reported them, so the runner's codes stay the same: a refused
 * or reset connection by its errno (`ECONNREFUSED`, `ECONNRESET`, …), a connection the server
 * closed before the answer ended `SOCKET_ERROR` ("other side closed"), no byte for `timeoutMs`
 * (10 s to connect) `TIMEOUT`, an answer that is not HTTP/1.1 or a request that cannot be sent
 * `TRANSPORT_ERROR`.
 *
 * Reads go to one buffer shared by all connections (`onread`: no Readable stream and no new
 * Buffer per read); the parser's callers copy what they keep. Timeouts are one sweep on an
 * interval over the connections (no timer per request): each connection notes the sweep's tick
 * when it last heard from its server.
 */
export function createSocketClient(
  url: URL,
  opts: { connections: number; timeoutMs: number },
  headers: RequestHeaders,
): HttpClient {
  const pool = new ConnectionPool(url, opts, createRequestBytes(url.host, headers));
  return {
    origin: url.origin,
    send: (req) => new Promise<RawResponse>((resolve) => pool.dispatch(req, resolve)),
    dispatch: (req, done) => pool.dispatch(req, done),
    close: () => pool.close(),
  };
}

/** undici's connect timeout, the same whatever `timeoutMs` is. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long an idle connection is kept without a Keep-Alive hint (as undici was configured). */
const KEEP_ALIVE_MS = 30_000;
/** A hinted keep-alive is trusted for this much less, so we never write as the server hangs up. */
const KEEP_ALIVE_MARGIN_MS = 2_000;
/** The reads of every connection land here, one at a time. */
const READ_BUFFER_BYTES = 64 * 1024;

class ConnectionPool {
  /** The sweep's count: the clock timeouts and idle keep-alives are measured by. */
  ticks = 0;
  readonly tickMs: number;
  readonly timeoutTicks: number;
  readonly connectTicks: number;
  readonly port: number;
  readonly host: string;
  readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private readonly connections: Connection[];
  private readonly slots: ConnectionSlots<Connection>;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private closing: (() => void) | undefined;
  private closed = false;

  constructor(
    url: URL,
    opts: { connections: number; timeoutMs: number },
    readonly bytes: RequestBytes,
  ) {
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port || 80);
    // timeouts land within a tenth of their length late
    this.tickMs = Math.min(1000, Math.max(5, Math.floor(opts.timeoutMs / 10)));
    this.timeoutTicks = Math.ceil(opts.timeoutMs / this.tickMs);
    this.connectTicks = Math.ceil(CONNECT_TIMEOUT_MS / this.tickMs);
    this.connections = Array.from({ length: connectionCount(opts.connections) }, () => new Connection(this));
    this.slots = createConnectionSlots(this.connections);
    this.sweeper = setInterval(() => this.sweep(), this.tickMs);
    this.sweeper.unref();
  }

  dispatch(req: HttpRequest, done: (res: RawResponse) => void): void {
    const bytes = this.closed ? new InvalidRequest('The client is destroyed') : this.bytes.build(req);
    const exchange = new SocketExchange(done, this, bytes);
    if (typeof bytes !== 'string') return exchange.fail('TRANSPORT_ERROR', bytes.message);
    const connection = this.slots.take();
    if (connection) exchange.start(connection);
    else this.slots.wait(exchange);
  }

  /** A connection's answer ended: the connection goes to the next request in line, or back. */
  release(connection: Connection): void {
    this.slots.release(connection);
    if (this.closing && this.connections.every((c) => !c.busy)) this.closing();
  }

  /** Waits for the answers in flight (and the requests in line), then closes every connection. */
  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => {
      this.closing = () => {
        this.closing = undefined;
        clearInterval(this.sweeper); // only now: answers still in flight still time out
        for (const c of this.connections) c.drop();
        resolve();
      };
      if (this.connections.every((c) => !c.busy)) this.closing();
    });
  }

  private sweep(): void {
    this.ticks++;
    for (const c of this.connections) c.check();
  }
}

/** One keep-alive connection: a socket while one is open, and the answer being read on it. */
class Connection implements ResponseSink {
  private socket: Socket | undefined;
  private connecting = false;
  private error: Error | undefined;
  private exchange: SocketExchange | undefined;
  private readonly parser = new ResponseParser();
  /** The pool's tick when the server was last heard from (busy) or the last answer ended (idle). */
  private tick = 0;
  /** How many ticks an idle socket is kept. */
  private idleTicks = 0;

  constructor(private readonly pool: ConnectionPool) {}

  get busy(): boolean {
    return this.exchange !== undefined;
  }

  send(exchange: SocketExchange, bytes: string): void {
    this.exchange = exchange;
    this.tick = this.pool.ticks;
    // written before the connection is up, the bytes wait in the socket for it
    (this.socket ?? this.open()).write(bytes);
  }

  /** Closes the socket (if any) without a word to the exchange. */
  drop(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    this.connecting = false;
    this.error = undefined;
    this.parser.reset();
    socket.destroy();
  }

  /** The sweep: a late answer times out, an idle socket past its keep-alive is closed. */
  check(): void {
    if (!this.socket) return;
    const waited = this.pool.ticks - this.tick;
    if (this.exchange) {
      if (waited > (this.connecting ? this.pool.connectTicks : this.pool.timeoutTicks)) this.timeout();
    } else if (waited + 1 >= this.idleTicks) this.drop();
  }

  onHead(status: number, json: boolean): void {
    this.exchange?.onHead(status, json);
  }

  onBody(bytes: Buffer): void {
    // a copy: `bytes` is a view of the shared read buffer
    this.exchange?.onBody(Buffer.from(bytes));
  }

  private open(): Socket {
    const socket: Socket = connect({
      host: this.pool.host,
      port: this.pool.port,
      noDelay: true,
      onread: { buffer: this.pool.readBuffer, callback: (n: number) => this.read(socket, n) },
    });
    this.socket = socket;
    this.connecting = true;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.connecting = false;
      this.tick = this.pool.ticks; // the answer's clock starts now
    });
    socket.on('end', () => {
      // the server let an idle connection go: forget it now, before a request is written on it
      if (this.socket === socket && !this.exchange) this.drop();
    });
    socket.on('error', (e) => {
      if (this.socket === socket) this.error ??= e;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.closed();
    });
    return socket;
  }

  /** Bytes read into the shared buffer; true: go on reading. */
  private read(socket: Socket, n: number): boolean {
    if (this.socket !== socket) return true;
    const exchange = this.exchange;
    if (!exchange) {
      this.drop(); // bytes no request asked for: nothing more on this connection can be trusted
      return true;
    }
    this.tick = this.pool.ticks;
    const buf = this.pool.readBuffer;
    const chunk = n === buf.length ? buf : buf.subarray(0, n);
    const at = this.parser.execute(chunk, this);
    if (at === MORE) return true;
    this.exchange = undefined;
    if (at === FAILED) {
      this.drop();
      exchange.fail('TRANSPORT_ERROR', this.parser.error);
      return true;
    }
    const idleMs =
      this.parser.keepAliveSec < 0 ? KEEP_ALIVE_MS : this.parser.keepAliveSec * 1000 - KEEP_ALIVE_MARGIN_MS;
    if (!this.parser.keepAlive || at !== n || idleMs <= 0) this.drop();
    else this.idleTicks = Math.ceil(idleMs / this.pool.tickMs);
    exchange.answer();
    return true;
  }

  /** The socket closed by itself (the server, the network, an error). */
  private closed(): void {
    const error = this.error;
    this.socket = undefined;
    this.connecting = false;
    this.error = undefined;
    const exchange = this.exchange;
    if (!exchange) {
      this.parser.reset();
      return; // an idle connection the server let go: the next request opens another
    }
    this.exchange = undefined;
    if (this.parser.endsAtClose()) return exchange.answer(); // a body that ran to the end
    this.parser.reset();
    if (error) exchange.fail(transportCode(error), error.message);
    else exchange.fail('SOCKET_ERROR', 'other side closed');
  }

  private timeout(): void {
    const exchange = this.exchange!;
    const message = this.connecting
      ? 'Connect Timeout Error'
      : this.parser.headed
        ? 'Body Timeout Error'
        : 'Headers Timeout Error';
    this.exchange = undefined;
    this.drop();
    exchange.fail('TIMEOUT', message);
  }
}

/**
 * One request and its answer, in one object (the generator makes tens of thousands a second): it
 * starts the request on its connection, collects the answer, gives the connection back, and is
 * itself the `RawResponse` it answers with (never throws).
 */
class SocketExchange extends CollectedResponse implements SlotWaiter<Connection> {
  private connection: Connection | undefined;

  constructor(
    private readonly done: (res: RawResponse) => void,
    private readonly pool: ConnectionPool,
    private readonly bytes: string | InvalidRequest,
  ) {
    super();
  }

  start(connection: Connection): void {
    this.connection = connection;
    connection.send(this, this.bytes as string);
  }

  onHead(status: number, json: boolean): void {
    this.headed(status, json);
  }

  onBody(bytes: Buffer): void {
    this.collect(bytes);
  }

  answer(): void {
    if (this.connection) this.pool.release(this.connection); // before the answer moves on
    this.done(this);
  }

  fail(code: string, message: string): void {
    this.failed(code, message);
    this.answer();
  }
}
