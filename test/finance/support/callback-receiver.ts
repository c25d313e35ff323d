/** A tiny real HTTP server that records finance's callbacks and answers as told. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  at: number;
}

export interface CallbackReceiver {
  /** notifyUrl for a test: the path tags callbacks so tests never see each other's. */
  url(tag: string): string;
  received(tag: string): ReceivedCallback[];
  /** Resolves with the tag's callbacks once there are at least n (rejects after timeoutMs). */
  waitFor(tag: string, n: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  /** The next `count` callbacks to this tag are answered with `status`. */
  failNext(tag: string, count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const byTag = new Map<string, ReceivedCallback[]>();
  const failures = new Map<string, { count: number; status: number }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const tag = (req.url ?? '/').split('/').pop() ?? '';
      const fail = failures.get(tag);
      if (fail && fail.count > 0) {
        fail.count--;
        res.writeHead(fail.status).end('nope');
        return;
      }
      const list = byTag.get(tag) ?? [];
      list.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      byTag.set(tag, list);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (tag) => `http://127.0.0.1:${port}/callbacks/${tag}`,
    received: (tag) => byTag.get(tag) ?? [],
    async waitFor(tag, n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while ((byTag.get(tag)?.length ?? 0) < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} callbacks for ${tag}, got ${byTag.get(tag)?.length ?? 0}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return byTag.get(tag) ?? [];
    },
    failNext(tag, count, status = 500) {
      failures.set(tag, { count, status });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
