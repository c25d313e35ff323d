/**
 * `redpkt load merge FILE|DIR… --dashboard`: the live page of a distributed run. It serves the
 * merged report at once and, while segments are missing or their files are checkpoints
 * (`complete: false`: their generators still run, see ./checkpoint.ts), re-reads the files every
 * second and shows the merged run as it stands. It stops following when every segment's file is
 * final, on Ctrl-C, or when no file has changed for a minute (a generator gone); then the final
 * merge, verdict and money check as without --dashboard, pushed to the page, which stays up
 * (the war-room screen) until the next Ctrl-C.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startLiveServer } from './dashboard/live-server.js';
import { createInputReader, type InputFile } from './merge-inputs.js';
import { finishMerge, mergedReport, type MergeConfig, type MergeIo } from './merge-report.js';
import { mergeResults } from './merge-results.js';
import type { LoadReport } from './report.js';

const POLL_MS = 1000;
/** No file changed for this long while segments are unfinished: their generators are gone. */
export const STALL_MS = 60_000;

export async function runMergeLive(
  config: MergeConfig,
  dashboard: { port: number },
  io: MergeIo,
  opts: { pollMs?: number; stallMs?: number } = {},
): Promise<{ report: LoadReport; exitCode: 0 | 1 | 2 }> {
  const reader = createInputReader(config.files, { follow: true });
  let files: InputFile[] = [];
  let latest = waitingReport();
  const server = await startLiveServer({ port: dashboard.port, interim: () => latest });
  try {
    io.stderr.write(`redpkt: live dashboard at ${server.url}\n`);
    let interrupted = false;
    const interrupt = io.interrupted?.().then(() => {
      interrupted = true;
    });
    let stamp = '';
    let changedAt = Date.now();
    let pending = ['every segment (no result file yet)'];
    for (;;) {
      const read = await reader.read();
      files = read.files;
      if (read.stamp !== stamp && files.length > 0) {
        const merged = mergeResults(files);
        latest = mergedReport(merged, config.thresholds);
        pending = [...merged.missing, ...merged.unfinished];
      }
      if (read.stamp !== stamp) changedAt = Date.now();
      stamp = read.stamp;
      if (pending.length === 0) break;
      if (interrupted) {
        io.stderr.write(
          `redpkt: stopped following; merging what is there (not final: ${pending.join(', ')})\n`,
        );
        break;
      }
      if (files.length > 0 && Date.now() - changedAt > (opts.stallMs ?? STALL_MS)) {
        io.stderr.write(
          `redpkt: no result file changed for ${Math.round((opts.stallMs ?? STALL_MS) / 1000)} s: merging what is there (not final, generator gone?: ${pending.join(', ')})\n`,
        );
        break;
      }
      await Promise.race([sleep(opts.pollMs ?? POLL_MS), interrupt]);
    }
    if (files.length === 0) {
      await server.close();
      return finishMerge(files, config, io); // no file: the same usage error as without --dashboard
    }
    const outcome = await finishMerge(files, config, io);
    server.settle(outcome.report);
    if (io.interrupted) {
      io.stderr.write(`redpkt: the dashboard shows the final report at ${server.url} (Ctrl-C to close)\n`);
      await io.interrupted();
    }
    return outcome;
  } finally {
    await server.close();
  }
}

/** The page before the first result file appears. */
function waitingReport(): LoadReport {
  return {
    scenario: 'merge: waiting for result files',
    config: {},
    startedAt: new Date().toISOString(),
    durationMs: 0,
    steps: [],
    money: { packets: 0, checked: 0, mismatches: [] },
    thresholds: [],
    generator: { cpuPct: 0, eventLoopP99Ms: 0 },
  };
}
