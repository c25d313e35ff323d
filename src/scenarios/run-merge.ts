import { createInputReader } from './merge-inputs.js';
import { runMergeLive } from './merge-live.js';
import { finishMerge, type MergeConfig, type MergeIo } from './merge-report.js';
import type { LoadReport } from './report.js';

export type { MergeConfig, MergeIo } from './merge-report.js';

/**
 * The `redpkt load merge FILE|DIR…` use case. 0 pass, 1 a threshold failed or segments are
 * missing or unfinished (without --allow-partial), 2 money mismatch.
 */
export async function runMerge(
  config: MergeConfig,
  io: MergeIo,
): Promise<{ report: LoadReport; exitCode: 0 | 1 | 2 }> {
  if (config.dashboard) return runMergeLive(config, config.dashboard, io);
  const { files } = await createInputReader(config.files, { follow: false }).read();
  return finishMerge(files, config, io);
}
