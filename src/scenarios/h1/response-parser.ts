import { hasJson, sameIgnoringCase } from '../collected-response.js';

/**
 * The generator's HTTP/1.1 response parser: the bytes of one connection in, one response at a
 * time out (it never sends a second request before the first answer ended, so it never sees two
 * answers in flight). What it reads: the status line (HTTP/1.0 or 1.1), the headers a client must
 * act on — Content-Length, Transfer-Encoding (chunked, with extensions and trailers), Connection
 * (close / keep-alive), Keep-Alive's timeout hint — and Content-Type (is the body JSON). 1xx
 * answers are skipped, 204 and 304 have no body, a body with neither length nor chunking runs to
 * the end of the connection. Any piece may arrive split at any byte: a header section that came
 * in parts is joined, everything after it is a small state machine.
 *
 * It hands the body on as views of the chunks it was given (no copy): the caller must not reuse
 * a chunk's memory while a view of it is kept.
 */
export interface ResponseSink {
  /** The final answer's status line and headers arrived (1xx ones are not reported). */
  onHead(status: number, json: boolean): void;
  /** More of its body. */
  onBody(bytes: Buffer): void;
}

/** `execute` needs more bytes. */
export const MORE = -1;
/** `execute` found bytes that are not an HTTP/1.1 answer: `error` says what. */
export const FAILED = -2;

/** The most bytes a header section (or a chunked body's trailers) may take. */
const MAX_HEAD = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const HTTP1 = 'http/1.';
const CR = 0x0d;
const LF = 0x0a;

// states
const HEAD = 0;
const LENGTH = 1;
const UNTIL_CLOSE = 2;
const CHUNK_SIZE = 3;
const CHUNK_EXT = 4;
const CHUNK_SIZE_LF = 5;
const CHUNK_DATA = 6;
const CHUNK_DATA_CR = 7;
const CHUNK_DATA_LF = 8;
const TRAILER = 9;
const TRAILER_LF = 10;
/** The answer ended (the next byte would start another). */
const DONE = 11;

export class ResponseParser {
  /** After a complete answer: whether the connection may carry another request. */
  keepAlive = true;
  /** The answer's `Keep-Alive: timeout=N` hint in seconds, -1 without one. */
  keepAliveSec = -1;
  /** Whether the current answer's header section arrived (a timeout says which part was late). */
  headed = false;
  /** Why `execute` returned FAILED. */
  error = '';
  private state = HEAD;
  /** A header section that arrived in parts, so far (a copy). */
  private pending: Buffer | undefined;
  /** LENGTH and CHUNK_DATA: body bytes still to come; CHUNK_SIZE: the size so far. */
  private remaining = 0;
  private digits = 0;
  /** TRAILER: bytes of the current trailer line; all trailers' bytes. */
  private lineLength = 0;
  private trailerBytes = 0;
  // the header section being read
  private json = false;
  private close = false;
  private keepAliveAsked = false;
  private length = -1;
  private transferEncoding = false;
  private chunked = false;

  /**
   * Reads `chunk`: returns the index just past the answer's last byte once it is complete, MORE
   * when the answer needs more bytes, FAILED on bytes that are not an answer.
   */
  execute(chunk: Buffer, sink: ResponseSink): number {
    let at = 0;
    const end = chunk.length;
    for (;;) {
      switch (this.state) {
        case HEAD: {
          if (at === end) return MORE;
          at = this.readHead(chunk, at, sink);
          if (at < 0) return at;
          continue; // the body, or (after a 1xx answer) the next header section
        }
        case DONE:
          this.state = HEAD;
          this.headed = false;
          return at;
        case LENGTH: {
          const n = Math.min(this.remaining, end - at);
          if (n > 0) sink.onBody(chunk.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining > 0) return MORE;
          this.state = DONE;
          continue;
        }
        case UNTIL_CLOSE:
          if (at < end) sink.onBody(at === 0 ? chunk : chunk.subarray(at));
          return MORE;
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, end - at);
          if (n > 0) sink.onBody(chunk.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining > 0) return MORE;
          this.state = CHUNK_DATA_CR;
          continue;
        }
        default: {
          // the chunked framing, a byte at a time
          if (at === end) return MORE;
          const b = chunk[at++]!;
          if (!this.framing(b)) return FAILED;
        }
      }
    }
  }

  /** The connection ended (cleanly or not): whether that completes the answer (a body read to the end). */
  endsAtClose(): boolean {
    if (this.state !== UNTIL_CLOSE) return false;
    this.state = HEAD;
    this.headed = false;
    this.keepAlive = false;
    return true;
  }

  /** Forgets a partial answer (its connection is gone). */
  reset(): void {
    this.state = HEAD;
    this.pending = undefined;
    this.headed = false;
  }

  /**
   * Reads a header section starting at `chunk[at]`: returns where what follows it starts (the
   * state says what that is: HEAD again after a 1xx answer, DONE after an answer without a
   * body), MORE when the section is not complete yet, FAILED.
   */
  private readHead(chunk: Buffer, at: number, sink: ResponseSink): number {
    let buf = chunk;
    let from = at;
    let search = at;
    const pending = this.pending;
    if (pending) {
      buf = Buffer.concat([pending, chunk.subarray(at)]);
      from = 0;
      search = Math.max(0, pending.length - 3);
    }
    const stop = buf.indexOf(CRLFCRLF, search);
    if (stop < 0) {
      if (buf.length - from > MAX_HEAD) return this.fail('the header section is too large');
      this.pending = Buffer.from(buf.subarray(from)); // a copy: the chunk may be reused
      return MORE;
    }
    this.pending = undefined;
    if (stop - from > MAX_HEAD) return this.fail('the header section is too large');
    // where the header section ends in `chunk`
    const next = pending ? at + stop + 4 - pending.length : stop + 4;
    const status = this.parseHead(buf, from, stop);
    if (status < 0) return FAILED;
    if (status < 200) {
      if (status === 101) return this.fail('an unexpected protocol switch (101)');
      return next; // informational: the real answer follows
    }
    this.headed = true;
    sink.onHead(status, this.json);
    if (status === 204 || status === 304) this.state = DONE;
    else if (this.chunked) {
      this.state = CHUNK_SIZE;
      this.remaining = 0;
      this.digits = 0;
      this.trailerBytes = 0;
      // a length beside chunking is not to be trusted (RFC 9112 §6.3): no reuse after it
      if (this.length >= 0) this.keepAlive = false;
    } else if (this.transferEncoding || this.length < 0) {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    } else if (this.length === 0) this.state = DONE;
    else {
      this.state = LENGTH;
      this.remaining = this.length;
    }
    return next;
  }

  /** The status line and headers in `buf[from, stop)`: the status, or FAILED. */
  private parseHead(buf: Buffer, from: number, stop: number): number {
    // HTTP/1.x SSS[ reason]
    if (stop - from < 12 || !sameIgnoringCase(buf, from, HTTP1)) return this.fail('not an HTTP/1.x answer');
    const minor = buf[from + 7]! - 0x30;
    const s1 = buf[from + 9]! - 0x30;
    const s2 = buf[from + 10]! - 0x30;
    const s3 = buf[from + 11]! - 0x30;
    const after = buf[from + 12];
    if (
      (minor !== 0 && minor !== 1) ||
      buf[from + 8] !== 0x20 ||
      !(s1 >= 1 && s1 <= 5) ||
      !(s2 >= 0 && s2 <= 9) ||
      !(s3 >= 0 && s3 <= 9) ||
      (after !== 0x20 && after !== CR)
    )
      return this.fail('an invalid status line');
    this.json = false;
    this.close = false;
    this.keepAliveAsked = false;
    this.keepAliveSec = -1;
    this.length = -1;
    this.transferEncoding = false;
    this.chunked = false;
    let p = buf.indexOf(CR, from + 12);
    p += 2;
    // each header line is [p, q) with a CR at q; the last one's CR is at `stop`
    while (p < stop + 2) {
      let q = p;
      let colon = -1;
      for (let b = buf[q]!; b !== CR; b = buf[++q]!) if (colon < 0 && b === 0x3a) colon = q;
      if (colon > p && !this.header(buf, p, colon, q)) return FAILED;
      p = q + 2;
    }
    this.keepAlive = minor === 1 ? !this.close : this.keepAliveAsked && !this.close;
    return s1 * 100 + s2 * 10 + s3;
  }

  /** One header `buf[name, colon)` with its value up to `eol`: false on an invalid one. */
  private header(buf: Buffer, name: number, colon: number, eol: number): boolean {
    let vs = colon + 1;
    let ve = eol;
    while (vs < ve && (buf[vs] === 0x20 || buf[vs] === 0x09)) vs++;
    while (ve > vs && (buf[ve - 1] === 0x20 || buf[ve - 1] === 0x09)) ve--;
    switch (colon - name) {
      case 10:
        if (sameIgnoringCase(buf, name, 'connection')) {
          if (hasToken(buf, vs, ve, 'close')) this.close = true;
          if (hasToken(buf, vs, ve, 'keep-alive')) this.keepAliveAsked = true;
        } else if (sameIgnoringCase(buf, name, 'keep-alive')) this.keepAliveSec = timeoutOf(buf, vs, ve);
        return true;
      case 12:
        if (sameIgnoringCase(buf, name, 'content-type')) this.json = hasJson(buf, vs, ve);
        return true;
      case 14: {
        if (!sameIgnoringCase(buf, name, 'content-length')) return true;
        const n = digitsOf(buf, vs, ve);
        if (n < 0 || (this.length >= 0 && n !== this.length)) {
          this.fail('an invalid content-length');
          return false;
        }
        this.length = n;
        return true;
      }
      case 17:
        if (sameIgnoringCase(buf, name, 'transfer-encoding')) {
          // the last coding decides: chunked, or a body that runs to the end of the connection
          this.transferEncoding = true;
          this.chunked =
            ve - vs >= 7 &&
            sameIgnoringCase(buf, ve - 7, 'chunked') &&
            (ve - vs === 7 || buf[ve - 8] === 0x2c || buf[ve - 8] === 0x20 || buf[ve - 8] === 0x09);
        }
        return true;
      default:
        return true;
    }
  }

  /** One byte of the chunked framing (sizes, extensions, line ends, trailers): false on an invalid one. */
  private framing(b: number): boolean {
    switch (this.state) {
      case CHUNK_SIZE: {
        const v = hexValue(b);
        if (v >= 0) {
          if (++this.digits > 12) return this.fail('a chunk size too large') >= 0;
          this.remaining = this.remaining * 16 + v;
          return true;
        }
        if (this.digits === 0) return this.fail('an invalid chunk size') >= 0;
        if (b === CR) this.state = CHUNK_SIZE_LF;
        else if (b === 0x3b || b === 0x20 || b === 0x09) this.state = CHUNK_EXT;
        else return this.fail('an invalid chunk size') >= 0;
        return true;
      }
      case CHUNK_EXT:
        if (b === CR) this.state = CHUNK_SIZE_LF;
        else if (++this.trailerBytes > MAX_HEAD) return this.fail('chunk extensions too large') >= 0;
        return true;
      case CHUNK_SIZE_LF:
        if (b !== LF) return this.fail('an invalid chunk size line') >= 0;
        this.digits = 0;
        if (this.remaining === 0) {
          this.state = TRAILER;
          this.lineLength = 0;
        } else this.state = CHUNK_DATA;
        return true;
      case CHUNK_DATA_CR:
        if (b !== CR) return this.fail('a chunk longer than its size') >= 0;
        this.state = CHUNK_DATA_LF;
        return true;
      case CHUNK_DATA_LF:
        if (b !== LF) return this.fail('a chunk longer than its size') >= 0;
        this.state = CHUNK_SIZE;
        return true;
      case TRAILER:
        if (b === CR) this.state = TRAILER_LF;
        else if (++this.trailerBytes > MAX_HEAD) return this.fail('trailers too large') >= 0;
        else this.lineLength++;
        return true;
      case TRAILER_LF:
        if (b !== LF) return this.fail('an invalid trailer line') >= 0;
        if (this.lineLength === 0) this.state = DONE;
        else {
          this.lineLength = 0;
          this.state = TRAILER;
        }
        return true;
      default:
        return this.fail('a parser state without framing') >= 0;
    }
  }

  private fail(why: string): number {
    this.error = `invalid HTTP answer: ${why}`;
    this.reset();
    return FAILED;
  }
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/** A decimal number in `buf[from, to)` (at most 15 digits), or -1. */
function digitsOf(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Whether a comma-separated header value holds `token` (any case). */
function hasToken(buf: Buffer, from: number, to: number, token: string): boolean {
  for (let i = from; i + token.length <= to; i++) {
    if (!sameIgnoringCase(buf, i, token)) continue;
    const before = i === from ? 0x2c : buf[i - 1]!;
    const after = i + token.length === to ? 0x2c : buf[i + token.length]!;
    const edge = (c: number) => c === 0x2c || c === 0x20 || c === 0x09;
    if (edge(before) && edge(after)) return true;
  }
  return false;
}

/** The `timeout=N` of a Keep-Alive header value, or -1. */
function timeoutOf(buf: Buffer, from: number, to: number): number {
  for (let i = from; i + 8 <= to; i++) {
    if (!sameIgnoringCase(buf, i, 'timeout=')) continue;
    let j = i + 8;
    while (j < to && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
    return digitsOf(buf, i + 8, j);
  }
  return -1;
}
