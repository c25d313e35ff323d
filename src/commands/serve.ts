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
  serveCommand.action(
    async (
      flags: WorkerFlagValues &
        OpsFlagValues &
        GatewayFlagValues &
        HttpFlagValues & {
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
      const config = resolveServeConfig(flags, readEnv());
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
      });
    },
  );
}
