import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { readDataDirSecret } from '../fixtures/data-dir-secret.js';
import { dashboardOf, resolveLoadConfig } from '../scenarios/load-config.js';
import type { LoadFlags } from '../scenarios/load-config.js';
import type { LoadIo } from '../scenarios/run-load.js';
import { runLoad } from '../scenarios/run-load.js';
import { runMerge } from '../scenarios/run-merge.js';
import { SCENARIOS } from '../scenarios/registry.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Where the command writes; tests pass their own. */
export type LoadCommandIo = Omit<LoadIo, 'signal'>;

/**
 * The examples `redpkt load --help` ends with; each passes on a healthy target
 * (test/scenarios/load-help-examples.test.ts runs them).
 */
export const LOAD_EXAMPLES = [
  "redpkt load c2c --packets 10 --concurrency 2 --threshold 'claim.errors<1' --threshold 'claim.p99<10000'",
  "redpkt load b2c --rate 2/s --duration 3s --claimers 5 --threshold 'flow.error_rate<1%' --json run.json",
  'redpkt load c2c --packets 10 --concurrency 2 --fixtures fixtures/users-1k.jsonl --target http://127.0.0.1:8080 --data-dir .redpkt',
] as const;

export const MERGE_EXAMPLES = [
  "redpkt load merge run/seg-*.json --threshold 'claim.p99<200' --html run/report.html --json run/report.json",
  'redpkt load merge run/ --dashboard',
] as const;

/** What the exit codes (listed last, as for every command) mean for a load run. */
const LOAD_EXIT_NOTES =
  'For a load run: 0 pass; 1 a threshold or a default check failed (a flow failed for an unexpected reason, no flow completed, a segment missing in a merge); 2 money mismatch; 3 usage (a bad flag, a refused --secret, --start-at in the past); 4 target unreachable.';

const helpText = (examples: readonly string[]) =>
  `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\n${LOAD_EXIT_NOTES}`;

export function registerLoad(program: Command, io?: LoadCommandIo): void {
  const out = () =>
    io ?? { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) };
  const load = program
    .command('load')
    // `load merge --json F`: the flags after `merge` are merge's, not load's own same-named ones
    .enablePositionalOptions()
    .description(
      'scripted full-chain load: send -> many concurrent claimers -> query, with a money check at the end',
    )
    .argument('<scenario>', `scenario: ${Object.keys(SCENARIOS).join(' | ')} (or \`merge\`, below)`)
    .option(
      '--target <url>',
      'a running service (default: start the embedded one in process on a fresh temp store)',
    )
    .option(
      '--secret <secret>',
      "the target's signing secret, to mint users' tokens (default REDPKT_SECRET, else <data-dir>/secret)",
    )
    .option('--data-dir <dir>', 'with --target: where to find the secret when not given (default .redpkt)')
    .option(
      '--fixtures <file>',
      'users from `redpkt fixtures gen` (JSONL), e.g. fixtures/users-1k.jsonl; default: generated from --seed',
    )
    .option('--packets <n>', 'packets (iterations) of the whole run (default 50 unless --duration)')
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
      "pass/fail rule, repeatable: 'claim.p99<50', 'claim.errors<1', 'flow.error_rate<1%', 'claim.outcomes.PACKET_EXHAUSTED>0' (errors never count expected outcomes; default checks: flow.errors==0, flow.ok>0)",
      collect,
    )
    .option('--json <file>', 'write the JSON report there (`-`: to stdout instead of the table)')
    .option('--html <file>', 'write a self-contained HTML report with latency-over-time charts')
    .option('--out <file>', 'write the mergeable result file (for `redpkt load merge`)')
    .option(
      '--segment <i/N>',
      'run segment i of N of the run (its exact share; default REDPKT_SEGMENT); needs --target and --start-at or --run-id',
    )
    .option(
      '--segments <n>',
      "the run's N segments, this one from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)",
    )
    .option(
      '--start-at <time>',
      'start the schedule at this instant, e.g. 2026-02-11T20:00:00Z (refused once past)',
    )
    .option(
      '--run-id <id>',
      'the run id every segment shares (default: derived from the flags and --start-at)',
    )
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
    .addHelpText('after', helpText(LOAD_EXAMPLES))
    .action(async (scenario: string, flags: LoadFlags) => {
      const o = out();
      const env = readEnv();
      // commander fills defaults for the --expire-only flags; only pass them when --expire is on.
      const given: LoadFlags = flags.expire
        ? flags
        : { ...flags, expireAfter: undefined, refundTimeout: undefined };
      const config = resolveLoadConfig(scenario, given, {
        secret: env.REDPKT_SECRET,
        dataDir: env.REDPKT_DATA_DIR,
        segment: env.REDPKT_SEGMENT,
        jobCompletionIndex: env.JOB_COMPLETION_INDEX,
      });
      const stop = new AbortController();
      const onSigint = () => {
        o.stderr.write(
          'redpkt: stopping: no new iterations, waiting for running ones (Ctrl-C again to quit)\n',
        );
        process.off('SIGINT', onSigint);
        stop.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const { exitCode } = await runLoad(config, { ...o, signal: stop.signal });
        if (exitCode !== 0) process.exitCode = exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

  load
    .command('merge')
    .description(
      "merge the result files of one run's segments (`load --out`): one report, thresholds and money check for the whole run",
    )
    .argument(
      '<files...>',
      "result files of one run, e.g. run/seg-*.json, or folders of them (every result file's *.json in it)",
    )
    .option(
      '--threshold <expr>',
      "pass/fail rule on the merged data, repeatable (default: the run's own)",
      collect,
    )
    .option('--json <file>', 'write the merged JSON report there (`-`: to stdout instead of the table)')
    .option('--html <file>', 'write the merged HTML report (the same page `load --html` writes)')
    .option('--allow-partial', 'merge even when segments are missing (exit 0 if the rest passes)')
    .option('--target <url>', "re-read the sampled packets' claim lists from the target and check them again")
    .option(
      '--secret <secret>',
      "with --target: the target's secret (default REDPKT_SECRET, else <data-dir>/secret)",
    )
    .option('--data-dir <dir>', 'with --target: where to find the secret (default .redpkt)')
    .option(
      '--dashboard',
      "serve the merged run's live page; follows files still being written (the generators' --out checkpoints) until every segment is final, then the verdict and money check; the page stays up until Ctrl-C",
    )
    .option(
      '--dashboard-port <port>',
      'with --dashboard: its port on 127.0.0.1 (0: any free one; default 5665)',
    )
    .addHelpText('after', helpText(MERGE_EXAMPLES))
    .action(async (files: string[], flags: MergeFlags) => {
      const o = out();
      const env = readEnv();
      const secret =
        flags.target === undefined
          ? undefined
          : (flags.secret ??
            env.REDPKT_SECRET ??
            (await readDataDirSecret(flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt')));
      const dashboard = dashboardOf(flags);
      const interrupts = dashboard ? watchInterrupts() : undefined;
      try {
        const { exitCode } = await runMerge(
          {
            files,
            thresholds: flags.threshold ?? [],
            json: flags.json,
            html: flags.html,
            allowPartial: flags.allowPartial ?? false,
            target: flags.target,
            secret,
            dashboard,
          },
          interrupts ? { ...o, interrupted: interrupts.next } : o,
        );
        if (exitCode !== 0) process.exitCode = exitCode;
      } finally {
        interrupts?.stop();
      }
    });
}

/** Ctrl-C and SIGTERM as events: `next()` resolves on the next one (load merge --dashboard's two stops). */
function watchInterrupts(): { next: () => Promise<void>; stop: () => void } {
  let waiters: Array<() => void> = [];
  const on = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
    stop() {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

interface MergeFlags {
  dashboard?: boolean;
  dashboardPort?: string;
  threshold?: string[];
  json?: string;
  html?: string;
  allowPartial?: boolean;
  target?: string;
  secret?: string;
  dataDir?: string;
}
