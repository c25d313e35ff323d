/**
 * Issue 24: `npm run sim -- --seeds 1000 [--seed S] [--steps N] [--from F] [--json] [--no-shrink]`.
 * Runs seeds F .. F+seeds-1 (or the one seed S), prints a line per failing seed with its replay
 * command and its trace, and a summary (seeds, simulated hours, faults by kind, switch flips by
 * switch, invariant checks, wall time). Exit 0: every seed held; 1: an invariant broke (2 when money did not add up); 3: usage.
 */
import { parseArgs } from 'node:util';
import { FAULT_KINDS, zeroCounts } from './faults.js';
import { runSeed } from './run-seed.js';
import { shrink } from './shrink.js';

const MONEY = /fen|finance|refund|transfer|paid/;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seeds: { type: 'string', default: '100' },
        seed: { type: 'string' },
        from: { type: 'string', default: '1' },
        steps: { type: 'string', default: '200' },
        json: { type: 'boolean', default: false },
        'no-shrink': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 3;
  }
  if (values.help) {
    process.stdout.write(
      'npm run sim -- [--seeds N] [--from F] [--seed S] [--steps N] [--json] [--no-shrink]\n' +
        'Deterministic simulation of the packet service; --seed S replays one seed bit for bit.\n',
    );
    return 0;
  }
  const steps = Number(values.steps);
  const count = Number(values.seeds);
  const from = Number(values.from);
  if (![steps, count, from].every((n) => Number.isSafeInteger(n) && n >= 0)) {
    process.stderr.write('--seeds, --from and --steps take whole numbers\n');
    return 3;
  }
  const seeds =
    values.seed === undefined ? Array.from({ length: count }, (_, i) => from + i) : [Number(values.seed)];
  const started = performance.now();
  const faults = zeroCounts();
  let simulatedMs = 0;
  let checks = 0;
  let recons = 0;
  let events = 0;
  const work = {
    packets: 0,
    b2cPackets: 0,
    claims: 0,
    withdrawals: 0,
    crashes: 0,
    callbacks: 0,
    switchFlips: 0,
    mockedPayments: 0,
  };
  const flips: Record<string, number> = {};
  let exit = 0;
  const failed: number[] = [];
  // SIGINT / SIGTERM: finish the seed in hand, then report what ran
  let stop = false;
  const halt = () => (stop = true);
  process.once('SIGINT', halt).once('SIGTERM', halt);
  let ran = 0;
  const summary = () => ({
    seeds: ran,
    failed,
    steps,
    simulatedHours: Math.round(simulatedMs / 36_000) / 100,
    events,
    invariantChecks: checks,
    reconRuns: recons,
    work,
    faults,
    switchFlips: flips,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  });
  for (const seed of seeds) {
    if (stop) break;
    ran++;
    if (ran % 50 === 0) process.stderr.write(`${JSON.stringify(summary())}\n`);
    const r = await runSeed({ seed, steps });
    simulatedMs += r.simulatedMs;
    checks += r.invariantChecks;
    recons += r.reconRuns;
    for (const key of Object.keys(work) as (keyof typeof work)[]) work[key] += r.stats[key];
    events += r.events;
    for (const k of FAULT_KINDS) faults[k] += r.faults[k];
    for (const [name, n] of Object.entries(r.switchFlips)) flips[name] = (flips[name] ?? 0) + n;
    if (seeds.length === 1 && !values.json) process.stdout.write(`seed ${seed} trace ${r.traceHash}\n`);
    if (r.ok) continue;
    failed.push(seed);
    exit = Math.max(exit, r.violations.some((v) => MONEY.test(v)) ? 2 : 1);
    process.stdout.write(
      `\nFAIL seed ${seed}: ${r.violations.length} violation(s)\n  ${r.violations.slice(0, 10).join('\n  ')}\n`,
    );
    process.stdout.write(
      `  faults: ${r.faultRates}\n  replay: npm run sim -- --seed ${seed} --steps ${steps}\n`,
    );
    if (!values['no-shrink']) {
      const s = await shrink({ seed, steps });
      process.stdout.write(
        `  shrunk (${s.runs} runs): --steps ${s.steps}, faults ${s.faults.join(',') || 'none'}\n`,
      );
      process.stdout.write(`  trace (last events):\n    ${s.result.trace.slice(-40).join('\n    ')}\n`);
    } else process.stdout.write(`  trace (last events):\n    ${r.trace.slice(-40).join('\n    ')}\n`);
  }

  process.stdout.write(
    values.json ? `${JSON.stringify(summary())}\n` : `\n${JSON.stringify(summary(), null, 2)}\n`,
  );
  return exit;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
