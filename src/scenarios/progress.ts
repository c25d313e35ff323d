import type { Writable } from 'node:stream';
import ora from 'ora';
import type { Metrics } from './metrics.js';

/** Live progress on a terminal (elapsed, requests, current rate, errors); nothing when not a TTY. */
export interface Progress {
  stop(): void;
}

export function startProgress(opts: {
  enabled: boolean;
  stream: Writable;
  metrics: Metrics;
  label: string;
}): Progress {
  if (!opts.enabled) return { stop() {} };
  const spinner = ora({ text: `${opts.label}: starting`, stream: opts.stream, discardStdin: false }).start();
  const start = performance.now();
  let lastAt = start;
  let lastRequests = 0;
  const timer = setInterval(() => {
    const at = performance.now();
    const { requests, errors } = opts.metrics.totals();
    const rate = ((requests - lastRequests) * 1000) / Math.max(1, at - lastAt);
    lastAt = at;
    lastRequests = requests;
    spinner.text = `${opts.label}: ${((at - start) / 1000).toFixed(1)} s · ${requests.toLocaleString('en')} requests · ${Math.round(rate).toLocaleString('en')} req/s · ${errors.toLocaleString('en')} errors`;
  }, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      spinner.stop();
    },
  };
}
