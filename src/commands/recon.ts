import { withExamples } from '../cli/help.js';
/**
 * Issue 8: `redpkt recon --date D [--hour H]` reconciles a window of our orders against finance's
 * ledger and stores the report; `redpkt recon list` shows the history. Issue 22: the recon SQL
 * runs on DuckDB embedded, over the stores streamed in or over an export (`--from DIR`, verified
 * against its manifest); `recon export` and `recon sql` are in recon-export.ts / recon-sql.ts.
 * Exit 0 clean, 1 discrepancies, 3 usage error, 4 a store, finance or an export unusable.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { RedpktError } from '../domain/errors.js';
import { reconFromExport } from '../recon/export/read-export.js';
import type { Manifest } from '../recon/export/manifest.js';
import { openOurs, openProvider } from '../recon/open-sides.js';
import { parseReconFlags, type ReconOptions } from '../recon/recon-flags.js';
import { renderHistory, renderReport } from '../recon/render.js';
import { runRecon, type ReconReport } from '../recon/run-recon.js';
import { packetStoreConfig, shadowStoreConfig } from '../runtime/storage-config.js';
import { registerReconExport } from './recon-export.js';
import { registerReconSql } from './recon-sql.js';

export interface ReconIo {
  write(text: string): void;
  now(): number;
  /** ANSI colour in the tables (default: stdout is a TTY and NO_COLOR is not set). */
  color?: boolean;
}

const defaultIo: ReconIo = {
  write: (t) => void process.stdout.write(t),
  now: () => Date.now(),
  get color() {
    const noColor = readEnv().NO_COLOR;
    return process.stdout.isTTY === true && (noColor === undefined || noColor === '');
  },
};
export const collect = (value: string, previous: string[]) => [...previous, value];

/** Where the stores are: the flags, else REDPKT_DATA_DIR / REDPKT_MYSQL / REDPKT_SECRET. */
export function storePlaces(opts: Pick<ReconOptions, 'dataDir' | 'mysql' | 'secret'>) {
  const env = readEnv();
  const dataDir = opts.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt';
  const mysql = opts.mysql.length > 0 ? opts.mysql : env.REDPKT_MYSQL ? [env.REDPKT_MYSQL] : [];
  return { dataDir, mysql, secret: opts.secret ?? env.REDPKT_SECRET };
}

/** --from: the export's window, type and lane; flags that were given must name the same. */
function agreeWithExport(flags: Record<string, unknown>, opts: ReconOptions, m: Manifest): void {
  const differ: string[] = [];
  if (flags.date !== undefined && opts.window.key !== m.window.key) differ.push(`window ${opts.window.key}`);
  if (flags.type !== undefined && opts.type !== m.type) differ.push(`--type ${opts.type}`);
  if (flags.shadow === true && m.lane !== 'shadow') differ.push('--shadow');
  if (differ.length > 0) {
    throw new RedpktError(
      'USAGE',
      `the export at ${opts.from} is ${m.window.key} ${m.type} (${m.lane} lane), not ${differ.join(', ')}`,
    );
  }
}

async function reconOfStores(opts: ReconOptions, io: ReconIo): Promise<ReconReport> {
  const { dataDir, mysql, secret } = storePlaces(opts);
  const config = packetStoreConfig(dataDir, mysql);
  // the report history lives in the real store; with --shadow the orders come from the shadow one
  const history = await openOurs(config);
  try {
    const ours =
      opts.lane === 'shadow' ? await openOurs(shadowStoreConfig(config), 'shadow packet store') : history;
    try {
      const provider = await openProvider({ ...opts, secret, dataDir, mysql });
      try {
        const report = await runRecon(
          { store: ours, ...provider },
          {
            window: opts.window,
            type: opts.type,
            cutoffMs: opts.cutoffMs,
            now: io.now(),
            lane: opts.lane,
            keep: Math.max(opts.first, 50),
            engine: opts.engine,
          },
        );
        await history.saveReport({
          windowKey: report.window.key,
          type: report.type,
          lane: report.lane,
          fromMs: report.window.fromMs,
          toMs: report.window.toMs,
          clean: report.clean,
          discrepancies: report.discrepancyCount,
          report: JSON.stringify(report, null, 2),
          ranAt: io.now(),
        });
        return report;
      } finally {
        await provider.close();
      }
    } finally {
      if (ours !== history) await ours.close();
    }
  } finally {
    await history.close();
  }
}

export async function reconCommand(flags: Record<string, unknown>, io: ReconIo = defaultIo): Promise<number> {
  const opts = parseReconFlags(flags);
  let report: ReconReport;
  if (opts.from) {
    // an export is reconciled where it lies: nothing is stored (the stores may be elsewhere)
    const { manifest, report: r } = await reconFromExport(
      opts.from,
      { now: io.now(), keep: Math.max(opts.first, 50) },
      opts.engine,
    );
    agreeWithExport(flags, opts, manifest);
    report = r;
  } else {
    report = await reconOfStores(opts, io);
  }
  const json = JSON.stringify(report, null, 2);
  if (opts.out) await writeFile(opts.out, `${json}\n`);
  io.write(opts.json ? `${json}\n` : renderReport(report, { first: opts.first, color: io.color === true }));
  return report.clean ? 0 : 1;
}

export async function reconListCommand(
  flags: { dataDir?: string; mysql: string[]; limit?: string; json?: boolean },
  io: ReconIo = defaultIo,
): Promise<void> {
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RedpktError('USAGE', '--limit must be a positive integer');
  const { dataDir, mysql } = storePlaces({ dataDir: flags.dataDir, mysql: flags.mysql, secret: undefined });
  const ours = await openOurs(packetStoreConfig(dataDir, mysql));
  try {
    const reports = await ours.listReports(limit);
    io.write(
      flags.json
        ? `${JSON.stringify(
            reports.map((r) => ({ ...r, report: JSON.parse(r.report) as unknown })),
            null,
            2,
          )}\n`
        : renderHistory(reports, io.color === true),
    );
  } finally {
    await ours.close();
  }
}

/** The window and store flags `recon`, `recon export` and `recon sql` share. */
export function windowFlags(command: Command, stores = true): Command {
  command
    .option('--date <date>', 'the day, YYYY-MM-DD, in --tz')
    .option('--hour <hour>', '0..23: reconcile that hour only (default type b2c)')
    .option('--type <type>', 'c2c | b2c | all (default: c2c for a day, b2c for an hour)')
    .option('--tz <zone>', 'IANA time zone of --date and --hour', 'Asia/Shanghai')
    .option('--cutoff <duration>', 'how late the provider may settle an order of the window', '15m')
    .option(
      '--shadow',
      "the shadow (load-test) lane: its stores, and finance's shadow books (x-redpkt-shadow: 1)",
      false,
    );
  if (!stores) return command;
  return command
    .option('--data-dir <dir>', 'embedded store directory (default .redpkt)')
    .option('--mysql <url>', 'our MySQL/MariaDB database URL', collect, [])
    .option('--finance <url>', "finance's base URL: read its signed ledger export (needs the secret)")
    .option(
      '--finance-db <file|url>',
      "finance's own database (default: beside ours, from --data-dir/--mysql)",
    )
    .option('--secret <secret>', 'the service secret (default REDPKT_SECRET or <data-dir>/secret)')
    .option('--memory-limit <size>', "DuckDB's memory limit; past it, it spills to --temp-dir", '1GB')
    .option('--temp-dir <dir>', 'where DuckDB spills (default: a fresh directory under the OS temp dir)');
}

/**
 * A subcommand's flags: its own, and those the parent `recon` took first (commander lets the
 * parent's options stand after the subcommand's name, so `recon list --data-dir X` gives X to it).
 */
export function withParentFlags<T extends Record<string, unknown>>(own: T, cmd: Command): T {
  const parent = cmd.parent;
  if (!parent) return own;
  const merged: Record<string, unknown> = { ...own };
  for (const [k, v] of Object.entries(parent.opts())) {
    if (parent.getOptionValueSource(k) !== 'cli') continue;
    if (cmd.getOptionValueSource(k) !== 'cli') merged[k] = v;
  }
  return merged as T;
}

export function registerRecon(program: Command, io: ReconIo = defaultIo): void {
  const recon = windowFlags(
    program
      .command('recon')
      .description('reconcile our orders against the finance ledger for a day (C2C) or an hour (B2C)'),
  )
    .option('--from <dir>', 'reconcile an export (`recon export --out DIR`) instead of the stores')
    .option('--json', 'print the JSON report instead of tables', false)
    .option('--out <file>', 'also write the JSON report to this file')
    .option('--first <n>', 'how many discrepancies to list', '20')
    .action(async (flags: Record<string, unknown>) => {
      const code = await reconCommand(flags, io);
      if (code !== 0) process.exitCode = code;
    });
  withExamples(recon, [
    'redpkt recon --date 2026-02-11 --data-dir .redpkt',
    'redpkt recon --date 2026-02-11 --hour 20 --mysql mysql://root@127.0.0.1/redpkt --json > recon.json',
    'redpkt recon --from ./export-2026-02-11',
  ]);
  const list = recon
    .command('list')
    .description('the stored reconciliation reports, newest first')
    .option('--data-dir <dir>', 'embedded store directory (default .redpkt)')
    .option('--mysql <url>', 'our MySQL/MariaDB database URL', collect, [])
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'JSON instead of a table', false)
    .action((flags: { dataDir?: string; mysql: string[]; limit?: string; json?: boolean }, cmd: Command) =>
      reconListCommand(withParentFlags(flags, cmd), io),
    );
  withExamples(list, ['redpkt recon list --data-dir .redpkt', 'redpkt recon list --limit 5 --json']);
  registerReconExport(recon, io);
  registerReconSql(recon, io);
}
