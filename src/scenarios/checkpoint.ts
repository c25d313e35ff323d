/**
 * `load --out FILE` while the run goes: the result file as it stands, rewritten every
 * `intervalMs` (`complete: false`; atomically, so `load merge --dashboard` following the run
 * never reads half a file). One write at a time: a slow disk skips a tick, never queues them.
 * Off the request path: a timer, a few histograms encoded (the file's size does not grow with
 * the requests).
 */
import type { ResultFile } from './result-file.js';
import { writeOutAtomic } from './write-out.js';

export const CHECKPOINT_MS = 2000;

export interface Checkpoints {
  /** Stops and waits for a write in progress (the final file is written after). */
  stop(): Promise<void>;
}

export function startCheckpoints(opts: {
  file: string;
  build: () => ResultFile;
  intervalMs?: number;
  onError: (e: unknown) => void;
}): Checkpoints {
  let writing: Promise<void> | undefined;
  let failed = false;
  const tick = () => {
    if (writing) return;
    writing = writeOutAtomic(opts.file, `${JSON.stringify(opts.build())}\n`)
      .catch((e: unknown) => {
        // said once; the run goes on, and the final write says it again if it still fails
        if (!failed) opts.onError(e);
        failed = true;
      })
      .finally(() => (writing = undefined));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? CHECKPOINT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}
