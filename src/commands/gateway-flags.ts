/** Issue 6: the `serve` flags of the gateway role, and `--no-claim-limiter` for the cores behind it. */
import type { Command } from 'commander';

export interface GatewayFlagValues {
  core: string[];
  coreTimeoutMs?: string;
  healthEveryMs?: string;
  claimLimiter?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerGatewayFlags(command: Command): void {
  command
    .option(
      '--core <url>',
      'with --role gateway: a core (an all-in-one serve) to route to; repeat it for every core',
      collect,
      [],
    )
    .option('--core-timeout-ms <ms>', 'with --role gateway: longest wait for a core’s answer (default 10000)')
    .option(
      '--health-every-ms <ms>',
      'with --role gateway: how often each core’s /readyz is checked (default 1000)',
    )
    .option(
      '--no-claim-limiter',
      'no per-packet claim limiter in this process (the cores behind a gateway, which limits for them)',
    );
}
