import type { Command } from 'commander';
import { withExamples } from '../cli/help.js';
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
import { preflightServe } from './serve-preflight.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Issue 17: `serve --help` lists its flags by the roles they are for. */
export const SERVE_GROUPS = {
  every: 'Every role:',
  api: 'API (--role all):',
  worker: 'Worker (--role all, and --role worker):',
  gateway: 'Gateway (--role gateway):',
  http: 'HTTP limits (--role all, and --role gateway):',
  fleet: 'Fleet (--cores: a supervisor, its cores and their gateway):',
} as const;

export function registerServe(program: Command): void {
  const serveCommand = program
    .command('serve')
    .description(
      'run the packet service with the simulated payment provider (embedded SQLite unless --mysql)',
    )
    .optionsGroup(SERVE_GROUPS.every)
    .option(
      '--role <role>',
      'all (API, finance and worker in one process), worker (worker + /healthz) or gateway (routes to --core)',
      'all',
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
    .option(
      '--redis <url>',
      'Redis: the claim and endpoint limiters, switch push and the grant queue (default: in process)',
    )
    .option(
      '--secret <secret>',
      'signing secret for tokens and finance (default: the one in the data dir, generated on first start)',
    );
  registerOpsFlags(serveCommand, SERVE_GROUPS.api); // issue 7: --log-level with every role's
  serveCommand
    .optionsGroup(SERVE_GROUPS.api)
    .option('--max-count <n>', 'most shares in one packet (default 10000)')
    .option('--max-amount <fen>', 'most fen in one packet (default 2000000 = 20,000.00 yuan)')
    .option('--max-share <fen>', 'largest average share in fen (default 20000 = 200.00 yuan)')
    .option('--booking-rate <n>', 'subsidy grants booked per second from the grant queue (default 2000)');
  serveCommand.optionsGroup(SERVE_GROUPS.worker);
  registerWorkerFlags(serveCommand);
  serveCommand.optionsGroup(SERVE_GROUPS.gateway);
  registerGatewayFlags(serveCommand); // issue 6
  serveCommand.optionsGroup(SERVE_GROUPS.http);
  registerHttpFlags(serveCommand); // issue 18
  serveCommand.optionsGroup(SERVE_GROUPS.fleet);
  registerFleetFlags(serveCommand); // issue 21
  withExamples(serveCommand, [
    'redpkt serve --data-dir .redpkt --port 8080',
    'redpkt serve --mysql mysql://root@127.0.0.1:3306/redpkt --redis redis://127.0.0.1:6379',
    'redpkt serve --role gateway --core http://127.0.0.1:8081 --core http://127.0.0.1:8082 --secret "$S"',
  ]);
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
      await preflightServe(config); // issue 17: before anything is created in the data dir
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
