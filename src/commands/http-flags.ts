/** Issue 18: the `serve` flags of the HTTP edge (timeouts, token lifetime); see src/config/http-config.ts. */
import type { Command } from 'commander';

export interface HttpFlagValues {
  headersTimeoutMs?: string;
  requestTimeoutMs?: string;
  maxTokenLifetime?: string;
}

export function registerHttpFlags(command: Command): void {
  command
    .option(
      '--headers-timeout-ms <ms>',
      'longest wait for a request’s headers, then 408 and close (default 10000)',
    )
    .option(
      '--request-timeout-ms <ms>',
      'longest wait for a whole request, body included, then 408 and close (default 30000)',
    )
    .option(
      '--max-token-lifetime <seconds>',
      'longest bearer-token lifetime (exp - iat) accepted (default 2592000 = 30 days)',
    );
}
