import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { resolveServeConfig } from '../config/serve-config.js';
import { startService } from '../runtime/start-service.js';
import { startWorkerService } from '../runtime/start-worker-service.js';
import { startGateway } from '../runtime/start-gateway.js';
import { registerGatewayFlags, type GatewayFlagValues } from './gateway-flags.js';
import { registerWorkerFlags, type WorkerFlagValues } from './worker-flags.js';
import { registerOpsFlags, type OpsFlagValues } from './ops-flags.js';
import { registerHttpFlags, type HttpFlagValues } from './http-flags.js';
import { registerFleetFlags, optionInfos, type FleetFlagValues } from './fleet-flags.js';
import { childArgs } from '../fleet/child-args.js';
import { startSupervisor } from '../fleet/supervisor.js';
import { RedpktError } from '../domain/errors.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerServe(program: Command): void {
  const serveCommand = program
    .command('serve')
    .description(
      'run the packet service with the simulated payment provider (embedded SQLite unless --mysql)',
    )
    .option('--port <n>', 'port to listen on (0 = pick a free one and print it)', '8080')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where the embedded store, finance store and secret live (default .redpkt)')
    .option(
      '--mysql <url>',
      'MySQL/MariaDB database URL instead of the embedded store (repeatable for shards)',
      collect,
      [],
    )
    .option('--redis <url>', 'Redis URL (used by the limiter and queues once they land)')
    .option(
      '--secret <secret>',
      'signing secret for tokens and finance (default: REDPKT_SECRET, or generated into the data dir)',
    )
    .option('--max-count <n>', 'most shares in one packet (default 10000)')
    .option('--max-amount <fen>', 'most fen in one packet (default 2000000 = 20,000.00 yuan)')
    .option('--max-share <fen>', 'largest average share in fen (default 20000 = 200.00 yuan)')
    .option('--booking-rate <n>', 'subsidy grants booked per second from the grant queue (default 2000)');
  registerWorkerFlags(serveCommand);
  registerOpsFlags(serveCommand); // issue 7
  registerGatewayFlags(serveCommand); // issue 6
  registerHttpFlags(serveCommand); // issue 18
  registerFleetFlags(serveCommand); // issue 21
  serveCommand.action(
    async (
      flags: WorkerFlagValues &
        OpsFlagValues &
        GatewayFlagValues &
        HttpFlagValues &
        FleetFlagValues & {
          port: string;
          host: string;
          dataDir?: string;
          mysql: string[];
          redis?: string;
          secret?: string;
          maxCount?: string;
          maxAmount?: string;
          maxShare?: string;
          bookingRate?: string;
        },
    ) => {
      const supervised = process.channel !== undefined; // issue 21: a supervisor's core
      const config = resolveServeConfig(flags, readEnv());
      if (config.coreCount !== undefined) return superviseCores(serveCommand, { ...flags }, config);
      const service =
        config.role === 'worker'
          ? await startWorkerService(config)
          : config.role === 'gateway' // issue 6
            ? await startGateway(config)
            : await startService(config, config.claimLimiter === false ? { limiter: false } : {});
      process.stdout.write(`redpkt listening on ${service.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`redpkt: ${signal}, shutting down\n`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          service.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        // issue 21: a core of a supervisor (it has an IPC channel) stops when the supervisor is gone
        // (unref'd: the channel alone must not keep a core alive once it has closed everything)
        if (supervised) {
          process.channel?.unref();
          if (process.connected) process.once('disconnect', () => stop('SIGTERM'));
          else stop('SIGTERM'); // it went while this core was starting
        }
      });
    },
  );
}

/** Issue 21: `--cores N`: the supervisor, its cores and the gateway on --port (src/fleet/supervisor.ts). */
async function superviseCores(
  command: Command,
  flags: Record<string, unknown>,
  config: ReturnType<typeof resolveServeConfig>,
): Promise<void> {
  const coreArgs = childArgs(
    optionInfos(command),
    flags,
    (attribute) => command.getOptionValueSource(attribute) === 'cli',
  );
  // a signal while the cores start is held until they have (then they are drained at once): the
  // supervisor must not die and leave cores half started
  let signalled: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = (signal) => void (signalled = signal);
  const listener = (signal: NodeJS.Signals) => onSignal(signal);
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  try {
    const supervisor = await startSupervisor(config, { coreArgs });
    process.stdout.write(`redpkt listening on ${supervisor.url}\n`);
    const drained = await new Promise<boolean>((resolve) => {
      onSignal = (signal) => {
        onSignal = () => {};
        process.stderr.write(`redpkt: ${signal}, shutting down ${supervisor.cores.length} cores\n`);
        supervisor.close().then(resolve, () => resolve(false));
      };
      if (signalled) onSignal(signalled);
    });
    if (!drained) throw new RedpktError('INTERNAL', 'a core did not drain cleanly (see its lines above)');
  } finally {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  }
}
