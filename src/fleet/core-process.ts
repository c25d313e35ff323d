/**
 * Issue 21: one core of a supervisor: a `redpkt serve` child process on a private port, its output
 * passed on line by line naming the core, started again when it dies (after a pause that grows
 * while it keeps dying: 250 ms doubling to 5 s, back to 250 ms once it has run for 30 s), and
 * stopped with SIGTERM (SIGKILL past the drain deadline) when the supervisor shuts down. The child
 * has an IPC channel: when the supervisor dies without stopping it, the channel closes and the
 * core shuts itself down (src/commands/serve.ts) instead of running on unsupervised.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createLineSplitter, tagLine } from './line-tagger.js';

export interface CoreProcessOptions {
  name: string;
  /** The private port it listens on (the same every time it starts: the gateway knows it by it). */
  port: number;
  /** node, its flags, the binary, `serve` and the core's flags. */
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Where the tagged lines go (the supervisor's stderr). */
  writeLine(line: string): void;
  /** Told of a start, an exit and a restart. */
  log(msg: string): void;
}

export interface CoreProcessState {
  name: string;
  url: string;
  pid: number | undefined;
  /** starting (spawned, not listening yet), running, restarting (dead, starting again soon), stopped */
  state: 'starting' | 'running' | 'restarting' | 'stopped';
  restarts: number;
  lastExit: string | undefined;
}

export interface CoreProcess {
  readonly url: string;
  /** Spawns it; resolves once it listens, rejects when it exits before (with its exit code). */
  start(): Promise<void>;
  state(): CoreProcessState;
  /** SIGTERM, wait up to `deadlineMs`, then SIGKILL; resolves with its exit code (null: a signal). */
  stop(deadlineMs: number): Promise<number | null>;
}

export class CoreStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 5_000;
const HEALTHY_AFTER_MS = 30_000;

export function createCoreProcess(opts: CoreProcessOptions): CoreProcess {
  const url = `http://127.0.0.1:${opts.port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let state: CoreProcessState['state'] = 'stopped';
  let restarts = 0;
  let lastExit: string | undefined;
  let pause = FIRST_PAUSE_MS;
  let startedAt = 0;
  let stopping = false;
  /** Whether it ever listened: one that fails its very first start is not restarted (the supervisor stops). */
  let everListened = false;
  let restartTimer: NodeJS.Timeout | undefined;

  const spawnOnce = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      state = 'starting';
      startedAt = Date.now();
      const c = spawn(opts.command, [...opts.args], {
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      child = c;
      let listening = false;
      let lastLine = '';
      const pass = (line: string) => {
        if (line === '') return;
        lastLine = line;
        opts.writeLine(tagLine(line, opts.name));
      };
      const err = createLineSplitter(pass);
      const out = createLineSplitter((line) => {
        if (!listening && /listening on http/.test(line)) {
          listening = true;
          everListened = true;
          state = 'running';
          resolve();
          return;
        }
        pass(line);
      });
      c.stdout?.setEncoding('utf8').on('data', (d: string) => out.push(d));
      c.stderr?.setEncoding('utf8').on('data', (d: string) => err.push(d));
      exited = new Promise<number | null>((done) => {
        c.once('exit', (code, signal) => {
          out.end();
          err.end();
          lastExit = signal ? `killed by ${signal}` : `exited ${code}`;
          if (!listening)
            reject(new CoreStartError(`${opts.name} ${lastExit} before listening: ${lastLine}`, code));
          done(code);
          onExit();
        });
      });
      c.once('error', (e) => {
        if (!listening) reject(new CoreStartError(`${opts.name} did not start: ${e.message}`, null));
      });
    });

  function onExit(): void {
    child = undefined;
    if (stopping || !everListened) {
      state = 'stopped';
      return;
    }
    // died on its own: its packets fail over at the gateway meanwhile; start it again
    if (Date.now() - startedAt >= HEALTHY_AFTER_MS) pause = FIRST_PAUSE_MS;
    state = 'restarting';
    opts.log(`supervisor: ${opts.name} (${url}) ${lastExit}; starting it again in ${pause} ms`);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarts++;
      spawnOnce().then(
        () => opts.log(`supervisor: ${opts.name} is listening again on ${url} (restart ${restarts})`),
        (e: unknown) => opts.log(`supervisor: ${opts.name} failed to start again: ${(e as Error).message}`),
      );
    }, pause);
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }

  return {
    url,
    start: spawnOnce,
    state: () => ({ name: opts.name, url, pid: child?.pid, state, restarts, lastExit }),
    async stop(deadlineMs) {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) {
        state = 'stopped';
        return c?.exitCode ?? 0;
      }
      c.kill('SIGTERM');
      const timer = setTimeout(() => {
        opts.log(`supervisor: ${opts.name} did not drain within ${deadlineMs} ms: SIGKILL`);
        c.kill('SIGKILL');
      }, deadlineMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
