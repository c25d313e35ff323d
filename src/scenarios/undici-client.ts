import { Client } from 'undici';
import type { Dispatcher } from 'undici';
import { CollectedResponse, hasJson, sameIgnoringCase } from './collected-response.js';
import {
  connectionCount,
  createConnectionSlots,
  type ConnectionSlots,
  type SlotWaiter,
} from './connection-slots.js';
import type { HttpRequest } from './define-scenario.js';
import { transportCode, type HttpClient, type RawResponse, type RequestHeaders } from './http-answer.js';

/**
 * The generator's client on undici, for `https:` targets (http goes through ./h1/socket-client.ts,
 * cheaper per request; docs/performance.md): one undici `Client` per connection, one request on
 * it at a time (./connection-slots.ts).
 *
 * It uses `dispatch` with a small handler rather than `request`: `request` wraps each body in a
 * Readable stream, which cost about a quarter of the generator's request rate in
 * `npm run bench:generator`. `dispatch` is the primitive `request` is built on.
 */
export function createUndiciClient(
  origin: string,
  opts: { connections: number; timeoutMs: number },
  headers: RequestHeaders,
): HttpClient {
  const clients = Array.from(
    { length: connectionCount(opts.connections) },
    () =>
      new Client(origin, {
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      }),
  );
  const slots = createConnectionSlots(clients);

  const dispatch = (req: HttpRequest, done: (res: RawResponse) => void): void => {
    const hasBody = req.body !== undefined;
    const template = hasBody ? headers.withJson : headers.base;
    const options: Dispatcher.DispatchOptions = {
      path: req.path,
      method: req.method,
      headers: req.headers ? { ...template, ...req.headers } : template,
      body: hasBody ? JSON.stringify(req.body) : null,
    };
    const exchange = new Exchange(done, slots, options);
    const client = slots.take();
    if (client) exchange.start(client);
    else slots.wait(exchange);
  };

  return {
    origin,
    send: (req) => new Promise<RawResponse>((resolve) => dispatch(req, resolve)),
    dispatch,
    close: () => Promise.all(clients.map((c) => c.close())).then(() => undefined),
  };
}

/**
 * One request and its answer, in one object: it starts the request on its connection, collects
 * the answer's body to the end, gives the connection back, and is itself the `RawResponse` it
 * resolves with (never rejects). It implements undici's low-level handler interface (onConnect /
 * onHeaders / onData / onComplete / onError), which `Client` calls directly: the newer controller
 * interface is adapted onto it per request (a wrapper and a controller object, every header and
 * trailer list parsed into an object), which cost about a tenth of the generator's request rate in
 * `npm run bench:generator`.
 */
class Exchange extends CollectedResponse implements Dispatcher.DispatchHandler, SlotWaiter<Client> {
  private client: Client | undefined;
  private answered = false;

  constructor(
    private readonly done: (res: RawResponse) => void,
    private readonly slots: ConnectionSlots<Client>,
    private readonly options: Dispatcher.DispatchOptions,
  ) {
    super();
  }

  start(client: Client): void {
    this.client = client;
    try {
      client.dispatch(this.options, this);
    } catch (e) {
      this.onError(e as Error); // refused before it was sent (e.g. an invalid header)
    }
  }

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational answers come first and have no body: keep the final one.
    this.headed(statusCode, isJson(rawHeaders));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.collect(chunk);
    return true;
  }

  onComplete(): void {
    this.finish();
  }

  onError(error: Error): void {
    if (this.answered) return;
    this.failed(transportCode(error), error.message);
    this.finish();
  }

  private finish(): void {
    if (this.answered) return;
    this.answered = true;
    if (this.client) this.slots.release(this.client); // before the answer moves on
    this.done(this);
  }
}

const CONTENT_TYPE = 'content-type';

/**
 * Whether the raw header list (name, value, name, value …) says the body is JSON. Compared on the
 * bytes (no string per header): once per response, for every response.
 */
function isJson(rawHeaders: Buffer[]): boolean {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === CONTENT_TYPE.length && sameIgnoringCase(name, 0, CONTENT_TYPE))
      return hasJson(rawHeaders[i + 1]!);
  }
  return false;
}
