import type { Client, Dispatcher } from 'undici';
import { SHADOW_HEADERS } from '../domain/ids.js';
import { createConnectionSlots, type ConnectionSlots, type SlotWaiter } from './connection-slots.js';
import type { HttpRequest } from './define-scenario.js';

/**
 * The generator's HTTP client: undici keep-alive connections to the target (./connection-slots.ts:
 * one `Client` per connection, one request on it at a time). Every response body is read to the
 * end (the connection is reused only then); every request carries the shadow header, so the server
 * keeps load-test data apart from real data.
 *
 * It uses `dispatch` with a small handler rather than `request`: `request` wraps each body in a
 * Readable stream, which cost about a quarter of the generator's request rate in
 * `npm run bench:generator`. `dispatch` is the primitive `request` is built on.
 */

export interface RawResponse {
  status: number;
  /** Parsed JSON (or the text) of the body, read to the end already; decoded on first access. */
  readonly body: unknown;
  /** Set when no response came back. */
  transportError?: string;
  /** The transport error's own message, when no response came back. */
  transportMessage?: string;
}

export interface HttpClient {
  readonly origin: string;
  send(req: HttpRequest): Promise<RawResponse>;
  /**
   * `send` without a promise of its own: `done` is called once, with the answer (the runner's
   * path, which wraps the answer in a promise of its own anyway; one promise a request fewer).
   */
  dispatch(req: HttpRequest, done: (res: RawResponse) => void): void;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** `http://host:port`; a path on it is ignored. */
  url: string;
  connections: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  /**
   * Mark every request as shadow traffic (default, and always for `redpkt load`). false only for
   * `npm run bench:claim`, which drives the real lane of a benchmark server of its own.
   */
  shadow?: boolean;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const origin = new URL(opts.url).origin;
  const slots = createConnectionSlots(origin, opts);
  const base: Record<string, string> = { ...(opts.shadow === false ? {} : SHADOW_HEADERS), ...opts.headers };
  const withJson: Record<string, string> = { ...base, 'content-type': 'application/json' };

  const dispatch = (req: HttpRequest, done: (res: RawResponse) => void): void => {
    const hasBody = req.body !== undefined;
    const template = hasBody ? withJson : base;
    const headers = req.headers ? { ...template, ...req.headers } : template;
    const options: Dispatcher.DispatchOptions = {
      path: req.path,
      method: req.method,
      headers,
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
    close: () => slots.close(),
  };
}

/**
 * One request and its answer, in one object (the generator makes tens of thousands a second): it
 * starts the request on its connection, collects the answer's body to the end, gives the
 * connection back, and is itself the `RawResponse` it resolves with (never rejects). It implements
 * undici's low-level handler interface (onConnect / onHeaders / onData / onComplete / onError),
 * which `Client` calls directly: the newer controller interface is adapted onto it per request
 * (a wrapper and a controller object, every header and trailer list parsed into an object),
 * which cost about a tenth of the generator's request rate in `npm run bench:generator`.
 */
class Exchange implements Dispatcher.DispatchHandler, SlotWaiter, RawResponse {
  status = 0;
  transportError?: string;
  transportMessage?: string;
  private json = false;
  private first: Buffer | undefined;
  private rest: Buffer[] | undefined;
  private client: Client | undefined;
  private answered = false;
  private decoded = false;
  private value: unknown;

  constructor(
    private readonly done: (res: RawResponse) => void,
    private readonly slots: ConnectionSlots,
    private readonly options: Dispatcher.DispatchOptions,
  ) {}

  start(client: Client): void {
    this.client = client;
    try {
      client.dispatch(this.options, this);
    } catch (e) {
      this.onError(e as Error); // refused before it was sent (e.g. an invalid header)
    }
  }

  /** The body, decoded (and JSON parsed) when a step first reads it; undefined with no answer. */
  get body(): unknown {
    if (!this.decoded) {
      this.decoded = true;
      if (this.transportError === undefined) {
        const bytes = this.rest ? Buffer.concat(this.rest) : this.first;
        this.value = parseBody(bytes?.toString('utf8') ?? '', this.json);
      }
      this.first = undefined;
      this.rest = undefined;
    }
    return this.value;
  }

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational answers come first and have no body: keep the final one.
    this.status = statusCode;
    this.json = isJson(rawHeaders);
    this.first = undefined;
    this.rest = undefined;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish();
  }

  onError(error: Error): void {
    if (this.answered) return;
    this.status = 0;
    this.transportError = transportCode(error);
    this.transportMessage = error.message;
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
    if (name.length === CONTENT_TYPE.length && sameIgnoringCase(name, CONTENT_TYPE))
      return hasJson(rawHeaders[i + 1]!);
  }
  return false;
}

/**
 * Whether a header value contains `json` (any case), on the bytes: `Buffer.includes` with a string
 * argument goes through a string search in C++ that cost more than the rest of `isJson`.
 */
function hasJson(value: Buffer): boolean {
  // `| 0x20` lower-cases an ASCII letter; no other byte maps onto j, s, o or n
  for (let i = 0; i + 4 <= value.length; i++) {
    if (
      (value[i]! | 0x20) === 0x6a &&
      (value[i + 1]! | 0x20) === 0x73 &&
      (value[i + 2]! | 0x20) === 0x6f &&
      (value[i + 3]! | 0x20) === 0x6e
    )
      return true;
  }
  return false;
}

/** ASCII case-insensitive: `lower` is lower case already. */
function sameIgnoringCase(bytes: Buffer, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const b = bytes[i]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function parseBody(text: string, json: boolean): unknown {
  if (!json || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stable, short code for a request that got no response. */
export function transportCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'TIMEOUT';
  if (code === 'UND_ERR_SOCKET') return 'SOCKET_ERROR';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause && cause !== e) return transportCode(cause);
  return 'TRANSPORT_ERROR';
}

/** The code a response stands for: none for 2xx, else the body's `error.code`, else `HTTP_<status>`. */
export function responseCode(res: RawResponse): string | undefined {
  if (res.transportError) return res.transportError;
  if (res.status >= 200 && res.status < 300) return undefined;
  const code = (res.body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : `HTTP_${res.status}`;
}

/** What a failed answer says: the body's `error.message`, the transport error's, or the status line. */
export function responseMessage(res: RawResponse): string {
  if (res.transportError) return res.transportMessage ?? res.transportError;
  const body = res.body;
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string' && message.length > 0) return message;
  return typeof body === 'string' && body.length > 0 ? `HTTP ${res.status}: ${body}` : `HTTP ${res.status}`;
}
