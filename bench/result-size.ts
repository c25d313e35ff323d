/**
 * `npm run bench:result-size`: how big a `redpkt load --out` result file gets, by run length and
 * rate. The runner's own Metrics and money check are fed a simulated c2c run (the real encoders,
 * synthetic latencies: log-normal around 20 ms with a 1% tail to seconds; one second of
 * simulated time per timeline bucket; 20 claims per packet) and the file is built as `load`
 * builds it. Printed: bytes per (duration, rate).
 */
import { buildResultFile } from '../src/scenarios/result-file.js';
import { resolveLoadConfig } from '../src/scenarios/load-config.js';
import { createMetrics } from '../src/scenarios/metrics.js';
import { createMoneyCheck } from '../src/scenarios/money-check.js';
import { createRng } from '../src/fixtures/rng.js';

const STEPS = ['create', 'pay', 'wait-active', 'claim', 'claim-list', 'flow'];

function sizeOf(seconds: number, packetsPerSec: number): { bytes: number; requests: number } {
  const rng = createRng(`size:${seconds}:${packetsPerSec}`);
  const latency = () => {
    const u = Math.max(1e-9, rng());
    const base = Math.exp(Math.log(20) + 0.6 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng()));
    return rng() < 0.01 ? base * 50 : base;
  };
  const metrics = createMetrics({ steps: STEPS, startMs: 0, now: () => 0 });
  const money = createMoneyCheck(1000, rng);
  let requests = 0;
  for (let s = 0; s < seconds; s++) {
    for (let p = 0; p < packetsPerSec; p++) {
      const at = s * 1000 + (p * 1000) / packetsPerSec;
      for (const step of ['create', 'pay', 'wait-active', 'claim-list'])
        metrics.record(step, latency(), undefined, at);
      for (let c = 0; c < 20; c++)
        metrics.record('claim', latency(), c < 10 ? undefined : 'PACKET_EXHAUSTED', at, true);
      metrics.record('flow', latency() * 5, undefined, at);
      requests += 24;
      if (p % 50 === 0) {
        const id = `p${s}-${p}`;
        const claimers = Array.from({ length: 20 }, (_, c) => `u0abcde_${String(c + p).padStart(9, '0')}`);
        const answered = claimers
          .slice(0, 10)
          .map((uid, c) => ({ uid, amount: 10 + c, claimNo: `c${id}-${c}` }));
        money.touch(id);
        money.check({
          packetId: id,
          sender: 'u0abcde_000000001',
          amount: answered.reduce((n, a) => n + a.amount, 0),
          shares: 10,
          claimers,
          answered,
          refused: claimers.slice(10),
          list: {
            status: 'exhausted',
            totalAmount: answered.reduce((n, a) => n + a.amount, 0),
            claims: answered,
          },
        });
      }
    }
  }
  const config = resolveLoadConfig('c2c', {
    target: 'http://127.0.0.1:8080',
    duration: `${seconds}s`,
    rate: `${packetsPerSec}/s`,
  });
  const file = buildResultFile({
    config,
    users: 5000,
    stepNames: STEPS,
    run: {
      startedAt: new Date(0),
      startLagMs: 0,
      durationMs: seconds * 1000,
      iterations: seconds * packetsPerSec,
      dropped: 0,
    },
    metrics,
    money: money.facts(),
    generator: { cpuPct: 50, eventLoopP99Ms: 5 },
  });
  return { bytes: Buffer.byteLength(JSON.stringify(file)), requests };
}

console.log('duration  packets/s  requests     result file');
for (const [seconds, rate] of [
  [60, 100],
  [60, 1000],
  [600, 100],
  [600, 1000],
] as const) {
  const { bytes, requests } = sizeOf(seconds, rate);
  console.log(
    `${String(seconds / 60).padStart(4)} min  ${String(rate).padStart(9)}  ${requests.toLocaleString('en').padStart(10)}  ${(bytes / 1024).toFixed(1).padStart(8)} KiB`,
  );
}
