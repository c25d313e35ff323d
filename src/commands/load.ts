import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { resolveLoadConfig } from '../scenarios/load-config.js';
import type { LoadFlags } from '../scenarios/load-config.js';
import type { LoadIo } from '../scenarios/run-load.js';
import { runLoad } from '../scenarios/run-load.js';
import { SCENARIOS } from '../scenarios/registry.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Where the command writes; tests pass their own. */
export type LoadCommandIo = Omit<LoadIo, 'signal'>;

export function registerLoad(program: Command, io?: LoadCommandIo): void {
  program
    .command('load')
    .description(
      'scripted full-chain load: send -> many concurrent claimers -> query, with a money check at the end',
    )
    .argument('<scenario>', `scenario: ${Object.keys(SCENARIOS).join(' | ')}`)
    .option(
      '--target <url>',
      'a running service (default: start the embedded one in process on a fresh temp store)',
    )
    .option('--secret <secret>', "the target's signing secret, to mint users' tokens (default REDPKT_SECRET)")
    .option('--fixtures <file>', 'users from `redpkt fixtures gen` (JSONL); default: generated from --seed')
    .option('--packets <n>', 'packets (iterations) to run (default 50 unless --duration)')
    .option('--shares <k>', 'shares per packet', '10')
    .option('--claimers <m>', 'distinct claimers per packet, all at once', '20')
    .option('--concurrency <c>', 'closed model: iterations in flight (default 10)')
    .option(
      '--rate <r/s>',
      'open model: iterations started per second, e.g. 50/s (latency from the intended start)',
    )
    .option(
      '--max-in-flight <n>',
      'open model: arrivals beyond this many running iterations are dropped and counted',
      '1000',
    )
    .option(
      '--connections <n>',
      'HTTP keep-alive connections (default: in-flight iterations x claimers, at most 1024)',
    )
    .option('--duration <d>', 'stop starting iterations after this long, e.g. 60s')
    .option('--ramp <d>', 'ramp the concurrency or rate up linearly over this long, e.g. 10s')
    .option('--timeout <d>', 'per-request timeout', '30s')
    .option(
      '--threshold <expr>',
      "pass/fail rule, repeatable: 'claim.p99<50', 'claim.errors<1', 'create.rps>100'",
      collect,
    )
    .option('--json <file>', 'write the JSON report there (`-`: to stdout instead of the table)')
    .option('--html <file>', 'write a self-contained HTML report with latency-over-time charts')
    .option(
      '--dashboard',
      'serve a live dashboard of the run (SSE every second; the URL is printed), final verdict at the end',
    )
    .option(
      '--dashboard-port <port>',
      'with --dashboard: its port on 127.0.0.1 (0: any free one; default 5665)',
    )
    .option('--seed <s>', 'seed for generated users and packet amounts', 'redpkt')
    .option('--expire', 'create short-lived packets and wait for the expiry refund')
    .option('--expire-after <d>', 'with --expire: packet lifetime, whole seconds', '2s')
    .option('--refund-timeout <d>', 'with --expire: how long after expiry to wait for the refund', '30s')
    .action(async (scenario: string, flags: LoadFlags) => {
      const out = io ?? {
        stdout: process.stdout,
        stderr: process.stderr,
        isTTY: Boolean(process.stderr.isTTY),
      };
      const env = readEnv();
      // commander fills defaults for the --expire-only flags; only pass them when --expire is on.
      const given: LoadFlags = flags.expire
        ? flags
        : { ...flags, expireAfter: undefined, refundTimeout: undefined };
      const config = resolveLoadConfig(scenario, given, { secret: env.REDPKT_SECRET });
      const stop = new AbortController();
      const onSigint = () => {
        out.stderr.write(
          'redpkt: stopping: no new iterations, waiting for running ones (Ctrl-C again to quit)\n',
        );
        process.off('SIGINT', onSigint);
        stop.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const { exitCode } = await runLoad(config, { ...out, signal: stop.signal });
        if (exitCode !== 0) process.exitCode = exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
