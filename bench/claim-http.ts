/** The HTTP variants of `bench:claim`: the real service in a child process, claimed over keep-alive. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { issueToken } from '../src/auth/tokens.js';
import type { ClaimJob, RunResult } from './claim-load.js';
import { runJobs } from './claim-load.js';

export type ClaimPath = 'coalesce' | 'queue' | 'direct';

export interface BenchServer {
  url: string;
  secret: string;
  stop(): Promise<void>;
}

export async function startBenchServer(
  mysqlUrl: string,
  path: ClaimPath,
  limiter: boolean,
): Promise<BenchServer> {
  const script = new URL('./claim-server.js', import.meta.url);
  const child = spawn(process.execPath, [script.pathname, mysqlUrl, path, limiter ? 'on' : 'off'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  const { url, secret } = JSON.parse(line) as { url: string; secret: string };
  return {
    url,
    secret,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `concurrency` claimers over as many keep-alive connections; 429s are retried as clients do (10 times). */
export async function runHttp(
  server: BenchServer,
  jobs: ClaimJob[],
  concurrency: number,
): Promise<RunResult> {
  const tokens = new Map<string, string>();
  for (const { uid } of jobs) if (!tokens.has(uid)) tokens.set(uid, await issueToken(server.secret, uid));
  const pool = new Pool(server.url, { connections: concurrency, pipelining: 1 });
  let next = 0;
  try {
    // Open every connection before the clock starts: 1,000 TCP handshakes and a cold server
    // otherwise land in the first claims' latency (they were the whole p99 of a hot packet).
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const res = await pool.request({ method: 'GET', path: '/healthz' });
        await res.body.dump();
      }),
    );
    return await runJobs(
      jobs,
      concurrency,
      async (job) => {
        for (let retry = 0; ; retry++) {
          const res = await pool.request({
            method: 'POST',
            path: `/v1/packets/${job.packetId}/claims`,
            headers: { authorization: `Bearer ${tokens.get(job.uid)}` },
          });
          const body = (await res.body.json()) as { error?: { code: string; retryAfterMs?: number } };
          if (res.statusCode === 200) return null;
          const code = body.error?.code ?? `HTTP_${res.statusCode}`;
          if (code !== 'RATE_LIMITED' || retry === 10)
            return res.statusCode >= 500 ? `HTTP_5xx_${code}` : code;
          await sleep(body.error?.retryAfterMs ?? 50);
        }
      },
      () => next++,
    );
  } finally {
    await pool.close();
  }
}
