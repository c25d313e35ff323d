/**
 * The service under test for `npm run bench:claim`, in its own process (so the load generator
 * does not share its event loop): `node claim-server.js <mysqlUrl> <coalesce|queue|direct> <on|off>`.
 * Prints one JSON line `{url, secret}` once listening; stops on SIGTERM.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../src/runtime/start-service.js';

const [mysqlUrl, claimPath, limiter] = process.argv.slice(2);
if (!mysqlUrl || !['coalesce', 'queue', 'direct'].includes(claimPath ?? '')) {
  throw new Error('usage: claim-server <mysqlUrl> <coalesce|queue|direct> <on|off>');
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
  { claimPath: claimPath as 'coalesce' | 'queue' | 'direct', limiter: limiter !== 'off', log: () => {} },
);
process.stdout.write(`${JSON.stringify({ url: service.url, secret: service.secret })}\n`);
process.once('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
