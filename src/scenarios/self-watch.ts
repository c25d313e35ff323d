import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The generator watches itself: when its own CPU is above `cpuWarnPct` or its event loop lags,
 * the latencies it reports are partly its own, not the server's. Warns once per condition.
 */
export interface SelfWatchOptions {
  intervalMs?: number;
  cpuWarnPct?: number;
  lagWarnMs?: number;
  onWarn?: (message: string) => void;
  /** Who shares this process with the generator (the embedded service), for honest warnings. */
  sharedWith?: string;
}

export interface GeneratorHealth {
  /** CPU time used by this process over wall time, in percent of one core. */
  cpuPct: number;
  eventLoopP99Ms: number;
}

export interface SelfWatch {
  stop(): GeneratorHealth;
}

export function startSelfWatch(opts: SelfWatchOptions = {}): SelfWatch {
  const intervalMs = opts.intervalMs ?? 1000;
  const cpuWarnPct = opts.cpuWarnPct ?? 80;
  const lagWarnMs = opts.lagWarnMs ?? 50;
  const total = monitorEventLoopDelay({ resolution: 10 });
  const window = monitorEventLoopDelay({ resolution: 10 });
  total.enable();
  window.enable();
  const startCpu = process.cpuUsage();
  const startAt = performance.now();
  let lastCpu = startCpu;
  let lastAt = startAt;
  const warned = new Set<'cpu' | 'lag'>();
  const who = opts.sharedWith
    ? `the load generator (sharing its process with ${opts.sharedWith})`
    : 'the load generator';

  const timer = setInterval(() => {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const pct = cpuPercent(lastCpu, cpu, at - lastAt);
    const lag = finiteOr0(window.percentile(99)) / 1e6;
    window.reset();
    lastCpu = cpu;
    lastAt = at;
    if (pct > cpuWarnPct && !warned.has('cpu')) {
      warned.add('cpu');
      opts.onWarn?.(
        `${who} is using ${pct.toFixed(0)}% CPU: latencies may be the generator's, not the server's`,
      );
    }
    if (lag > lagWarnMs && !warned.has('lag')) {
      warned.add('lag');
      opts.onWarn?.(
        `${who}: event loop lags ${lag.toFixed(0)} ms (p99): latencies may be the generator's, not the server's`,
      );
    }
  }, intervalMs);
  timer.unref();

  return {
    stop() {
      clearInterval(timer);
      total.disable();
      window.disable();
      const elapsed = performance.now() - startAt;
      return {
        cpuPct: cpuPercent(startCpu, process.cpuUsage(), elapsed),
        eventLoopP99Ms: finiteOr0(total.percentile(99)) / 1e6,
      };
    },
  };
}

function cpuPercent(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const usedMs = (to.user - from.user + (to.system - from.system)) / 1000;
  return (usedMs / elapsedMs) * 100;
}

const finiteOr0 = (n: number) => (Number.isFinite(n) ? n : 0);
