/** A real `redpkt serve` child process (the built binary), started, stopped and killed by tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../dist/bin/redpkt.js');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGKILL: no shutdown, no flushing, in-memory callbacks and leases lost. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  /** How long it may take to print its URL (a supervisor starts several cores first). */
  startTimeoutMs = 60_000,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no URL; stderr: ${err}`));
    }, startTimeoutMs);
    void exited.then((code) => reject(new Error(`serve exited ${code} before listening; stderr: ${err}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return {
    url,
    child,
    stderr: () => err,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
