/** Runs the built `redpkt` binary (npm test builds first). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../../dist/bin/redpkt.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, so servers running in this process keep answering meanwhile. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      ...(cwd ? { cwd } : {}),
      env: {
        ...process.env,
        REDPKT_MYSQL: undefined,
        REDPKT_REDIS: undefined,
        REDPKT_SECRET: undefined,
        REDPKT_ADMIN_KEY: undefined,
        REDPKT_DATA_DIR: undefined,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
