/**
 * The service under test for `npm run bench:claim` and `bench:transfer`, in its own process (so the
 * load generator does not share its event loop):
 * `node claim-server.js <mysqlUrl> <claim path> <limiter on|off> [transfers batch|one] [max groups]
 * [claims fast|hono]` (issue 25: `hono` turns the claim's fast path off).
 * Prints one JSON line `{url, secret}` once listening; stops on SIGTERM. BENCH_LOG=1 in the
 * environment sends the service's log to stderr (diagnosis; quiet otherwise).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimPath } from '../src/core/claim-coalescer.js';
import { startService } from '../src/runtime/start-service.js';

const [mysqlUrl, claimPath, limiter, transfers = 'batch', maxGroups = '', claims = 'fast'] =
  process.argv.slice(2);
const PATHS: ClaimPath[] = ['coalesce', 'coalesce-per-packet', 'queue', 'direct'];
if (!mysqlUrl || !PATHS.includes(claimPath as ClaimPath)) {
  throw new Error(`usage: claim-server <mysqlUrl> <${PATHS.join('|')}> <on|off>`);
}
const service = await startService(
  {
    port: 0,
    host: '127.0.0.1',
    dataDir: await mkdtemp(join(tmpdir(), 'redpkt-bench-')),
    mysql: [mysqlUrl],
    redis: undefined,
    secret: 'bench-secret-0123456789abcdef',
  },
  {
    claimPath: claimPath as ClaimPath,
    limiter: limiter !== 'off',
    transferBatches: transfers !== 'one',
    claimFastPath: claims !== 'hono',
    ...(maxGroups ? { claimGroups: Number(maxGroups) } : {}),
    log: process.env.BENCH_LOG ? (m: string, e?: unknown) => console.error(m, e ?? '') : () => {},
  },
);
process.stdout.write(`${JSON.stringify({ url: service.url, secret: service.secret })}\n`);
process.once('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
