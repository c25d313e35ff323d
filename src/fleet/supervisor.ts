/**
 * Issue 21: `redpkt serve --cores N|auto --mysql …`: every core of the box with one command. The
 * supervisor (this process) starts N core processes (all-in-one `serve`s without their own claim
 * limiter) on private loopback ports, and the gateway (src/runtime/start-gateway.ts, in this
 * process) on `--port` in front of them: it routes every request of a packet to one core and runs
 * the per-packet claim limiter for them. A core that dies is started again on its own port (its
 * packets fail over to their next core meanwhile, as the gateway does for any core); SIGTERM stops
 * the gateway's listener (in-flight answers finish), then every core drains (SIGTERM; SIGKILL past
 * SHUTDOWN_DEADLINE_MS) and the supervisor exits 0 once every core exited 0. With `--cells K`
 * the shards and cores are split into K cells (src/config/fleet-config.ts planCells).
 */
import { fileURLToPath } from 'node:url';
import type { ServeConfig } from '../config/serve-config.js';
import { coreEnvironment, planCells } from '../config/fleet-config.js';
import { RedpktError, type ErrorCode } from '../domain/errors.js';
import { NODE_FLAGS } from '../runtime/node-flags.js';
import { loadOrCreateSecret } from '../runtime/secret.js';
import { startGateway, type RunningGateway } from '../runtime/start-gateway.js';
import { CoreStartError, createCoreProcess, type CoreProcess } from './core-process.js';
import { freePorts } from './free-ports.js';

/** How long a core may take to drain on SIGTERM (deploy/k8s's terminationGracePeriodSeconds covers it). */
export const SHUTDOWN_DEADLINE_MS = 25_000;

export interface SupervisorOptions {
  /** The operator's `serve` flags for the cores (src/fleet/child-args.ts). */
  coreArgs: readonly string[];
  /** The binary the cores run (default: this build's dist/bin/redpkt.js). */
  binPath?: string;
  writeLine?: (line: string) => void;
  log?: (msg: string) => void;
}

export interface RunningSupervisor {
  url: string;
  port: number;
  gateway: RunningGateway;
  cores: readonly CoreProcess[];
  /** Drains everything; resolves true when every core exited 0. */
  close(): Promise<boolean>;
}

const DEFAULT_BIN = fileURLToPath(new URL('../../bin/redpkt.js', import.meta.url));

export async function startSupervisor(
  config: ServeConfig,
  opts: SupervisorOptions,
): Promise<RunningSupervisor> {
  const count = config.coreCount ?? 1;
  const writeLine = opts.writeLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = opts.log ?? writeLine;
  // one secret for the cores (tokens, finance signatures) and the gateway (checks claimers' tokens)
  const secret = await loadOrCreateSecret(config.dataDir, config.secret);
  const cells = config.cellCount ? planCells(config.cellCount, config.mysql.length) : undefined;
  const ports = await freePorts(count);
  const cores = ports.map((port, j) =>
    createCoreProcess({
      name: `core-${j}`,
      port,
      command: process.execPath,
      args: [
        ...NODE_FLAGS,
        opts.binPath ?? DEFAULT_BIN,
        'serve',
        ...opts.coreArgs,
        ...['--port', String(port), '--host', '127.0.0.1', '--no-claim-limiter'],
      ],
      env: coreEnvironment(secret),
      writeLine,
      log,
    }),
  );
  const stopAll = () => Promise.all(cores.map((c) => c.stop(SHUTDOWN_DEADLINE_MS)));

  try {
    // the first core creates or migrates the tables; the others start side by side after it
    await cores[0]!.start();
    await Promise.all(cores.slice(1).map((c) => c.start()));
  } catch (e) {
    await stopAll();
    if (e instanceof CoreStartError) throw new RedpktError(codeOfExit(e.exitCode), e.message, { cause: e });
    throw e;
  }

  const cellOf = (j: number) => (cells ? cells[j % cells.length]!.name : undefined);
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(
      {
        ...config,
        secret,
        cores: cores.map((c) => c.url),
        ...(cells ? { cells, coreCells: cores.map((_, j) => cellOf(j)!) } : {}),
      },
      {
        log: (msg, err) => log(err ? `${msg} ${String(err)}` : msg),
        describe: () => ({
          supervisor: {
            pid: process.pid,
            cores: cores.map((c, j) => ({ ...c.state(), ...(cells ? { cell: cellOf(j) } : {}) })),
          },
        }),
      },
    );
  } catch (e) {
    await stopAll();
    throw e;
  }

  let closing: Promise<boolean> | undefined;
  return {
    url: gateway.url,
    port: gateway.port,
    gateway,
    cores,
    close() {
      closing ??= (async () => {
        await gateway.close();
        const codes = await stopAll();
        return codes.every((code) => code === 0);
      })();
      return closing;
    },
  };
}

/** A core's exit code back to the error it stood for (README's exit-code table). */
function codeOfExit(code: number | null): ErrorCode {
  if (code === 3) return 'USAGE';
  if (code === 4) return 'DEPENDENCY_FAILED';
  return 'INTERNAL';
}
