import { describe, expect, it } from 'vitest';
import { FAILED, MORE, ResponseParser, type ResponseSink } from './response-parser.js';

/** What a parser reported for one answer. */
class Seen implements ResponseSink {
  heads: { status: number; json: boolean }[] = [];
  chunks: Buffer[] = [];
  onHead(status: number, json: boolean): void {
    this.heads.push({ status, json });
  }
  onBody(bytes: Buffer): void {
    this.chunks.push(Buffer.from(bytes));
  }
  get body(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Feeds `pieces` one after another: the result of the last `execute`, and what was seen. */
function feed(pieces: Buffer[], parser = new ResponseParser()) {
  const seen = new Seen();
  let result = MORE;
  for (const p of pieces) {
    expect(result).toBe(MORE); // nothing may end before the last piece
    result = parser.execute(p, seen);
  }
  return { result, seen, parser };
}

const LENGTH_ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 17\r\n' +
  'Date: Mon, 07 Dec 2026 01:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n{"ok":true,"n":1}';
const CHUNKED_ANSWER =
  'HTTP/1.1 100 Continue\r\n\r\n' +
  'HTTP/1.1 409 Conflict\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
  '7;ext=1\r\n{"error\r\n' +
  'E\r\n":{"code":"A"}\r\n' +
  '1\r\n}\r\n' +
  '0\r\nx-trailer: yes\r\n\r\n';

describe('the HTTP/1.1 answer parser', () => {
  it('reads an answer split in two at every byte boundary the same as in one piece', () => {
    for (const [text, status, body] of [
      [LENGTH_ANSWER, 200, '{"ok":true,"n":1}'],
      [CHUNKED_ANSWER, 409, '{"error":{"code":"A"}}'],
    ] as const) {
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i++) {
        const { result, seen } = feed([bytes.subarray(0, i), bytes.subarray(i)]);
        expect(result, `split at ${i}`).toBe(bytes.length - i);
        expect(seen.heads).toStrictEqual([{ status, json: true }]);
        expect(seen.body).toBe(body);
      }
    }
  });

  it('reads an answer that arrives one byte at a time', () => {
    for (const text of [LENGTH_ANSWER, CHUNKED_ANSWER]) {
      const bytes = Buffer.from(text);
      const { result, seen } = feed(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
      expect(result).toBe(1);
      expect(seen.heads).toHaveLength(1);
    }
  });

  it('reads one connection answer after answer, and says where an answer ended', () => {
    const parser = new ResponseParser();
    const bytes = Buffer.from(LENGTH_ANSWER + CHUNKED_ANSWER);
    const first = feed([bytes], parser);
    expect(first.result).toBe(LENGTH_ANSWER.length);
    expect(parser.keepAlive).toBe(true);
    expect(parser.keepAliveSec).toBe(5);
    const second = feed([bytes.subarray(first.result)], parser);
    expect(second.result).toBe(CHUNKED_ANSWER.length);
    expect(second.seen.body).toBe('{"error":{"code":"A"}}');
  });

  it('has no body for 204, 304 and a zero length, and no JSON without a JSON type', () => {
    for (const text of [
      'HTTP/1.1 204 No Content\r\ncontent-type: application/json\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\ncontent-length: 12\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n',
    ]) {
      const { result, seen } = feed([Buffer.from(text)]);
      expect(result).toBe(Buffer.byteLength(text));
      expect(seen.chunks).toHaveLength(0);
    }
    expect(
      feed([Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/jso\r\ncontent-length: 0\r\n\r\n')]).seen
        .heads,
    ).toStrictEqual([{ status: 200, json: false }]);
  });

  it('does not keep a connection the answer closes: Connection: close, HTTP/1.0, a length beside chunking', () => {
    const keeps = (text: string) => {
      const { result, parser } = feed([Buffer.from(text)]);
      expect(result).toBe(text.length);
      return parser.keepAlive;
    };
    expect(keeps('HTTP/1.1 200 OK\r\nconnection: Close\r\ncontent-length: 0\r\n\r\n')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\ncontent-length: 0\r\n\r\n')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: closed-not\r\ncontent-length: 0\r\n\r\n')).toBe(true);
    expect(keeps('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n')).toBe(false);
    expect(keeps('HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n')).toBe(true);
    expect(
      keeps(
        'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      ),
    ).toBe(false);
  });

  it('reads a body without length or chunking to the end of the connection', () => {
    const parser = new ResponseParser();
    const { result, seen } = feed(
      [Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"a"'), Buffer.from(':1}')],
      parser,
    );
    expect(result).toBe(MORE);
    expect(parser.endsAtClose()).toBe(true);
    expect(parser.keepAlive).toBe(false);
    expect(seen.body).toBe('{"a":1}');
    // a length-delimited body cut short does not end at close
    const short = feed([Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab')]);
    expect(short.result).toBe(MORE);
    expect(short.parser.headed).toBe(true);
    expect(short.parser.endsAtClose()).toBe(false);
  });

  it('fails on bytes that are not an HTTP/1.1 answer', () => {
    for (const text of [
      'SSH-2.0-OpenSSH_9.6\r\n\r\n',
      'HTTP/2 200\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n',
    ]) {
      const parser = new ResponseParser();
      expect(feed([Buffer.from(text)], parser).result, text).toBe(FAILED);
      expect(parser.error).toMatch(/^invalid HTTP answer: /);
    }
  });

  it('refuses a header section larger than 64 KiB instead of holding it', () => {
    const parser = new ResponseParser();
    const sink = new Seen();
    expect(parser.execute(Buffer.from('HTTP/1.1 200 OK\r\n'), sink)).toBe(MORE);
    expect(parser.execute(Buffer.from(`x-big: ${'a'.repeat(70_000)}`), sink)).toBe(FAILED);
  });
});
