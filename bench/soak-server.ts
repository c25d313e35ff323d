/**
 * The core under `npm run bench:soak`: one all-in-one service on MySQL in its own process, started
 * with --expose-gc and the binary's V8 flags. Prints `{url, secret}`; on the IPC message `sample`
 * it runs a full GC and answers `{heapUsed, rss}` (bytes).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../src/runtime/start-service.js';

const [mysqlUrl] = process.argv.slice(2);
if (!mysqlUrl) throw new Error('usage: soak-server <mysqlUrl>');
const service = await startService(
  {
    port: 0,
    host: '127.0.0.1',
    dataDir: await mkdtemp(join(tmpdir(), 'redpkt-soak-')),
    mysql: [mysqlUrl],
    redis: undefined,
    secret: 'soak-secret-0123456789abcdef',
  },
  { log: () => {} },
);
process.stdout.write(`${JSON.stringify({ url: service.url, secret: service.secret })}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m) => {
  if (m !== 'sample') return;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  process.send?.({ heapUsed: mem.heapUsed, rss: mem.rss });
});
process.once('SIGTERM', () => void service.close().then(() => process.exit(0)));
