/**
 * Issue 8: `redpkt recon --date D [--hour H]` reconciles a window of our orders against finance's
 * ledger and stores the report; `redpkt recon list` shows the history. Exit 0 clean,
 * 1 discrepancies, 3 usage error, 4 a store or finance unreachable.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { RedpktError } from '../domain/errors.js';
import { openOurs, openProvider } from '../recon/open-sides.js';
import { parseReconFlags } from '../recon/recon-flags.js';
import { renderHistory, renderReport } from '../recon/render.js';
import { runRecon } from '../recon/run-recon.js';
import { packetStoreConfig, shadowStoreConfig } from '../runtime/storage-config.js';

export interface ReconIo {
  write(text: string): void;
  now(): number;
}

const defaultIo: ReconIo = { write: (t) => void process.stdout.write(t), now: () => Date.now() };
const collect = (value: string, previous: string[]) => [...previous, value];

export async function reconCommand(flags: Record<string, unknown>, io: ReconIo = defaultIo): Promise<number> {
  const opts = parseReconFlags(flags);
  const env = readEnv();
  const dataDir = opts.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt';
  const mysql = opts.mysql.length > 0 ? opts.mysql : env.REDPKT_MYSQL ? [env.REDPKT_MYSQL] : [];
  const secret = opts.secret ?? env.REDPKT_SECRET;
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
          },
        );
        const json = JSON.stringify(report, null, 2);
        await history.saveReport({
          windowKey: report.window.key,
          type: report.type,
          lane: report.lane,
          fromMs: report.window.fromMs,
          toMs: report.window.toMs,
          clean: report.clean,
          discrepancies: report.discrepancyCount,
          report: json,
          ranAt: io.now(),
        });
        if (opts.out) await writeFile(opts.out, `${json}\n`);
        io.write(opts.json ? `${json}\n` : renderReport(report, opts.first));
        return report.clean ? 0 : 1;
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

export async function reconListCommand(
  flags: { dataDir?: string; mysql: string[]; limit?: string; json?: boolean },
  io: ReconIo = defaultIo,
): Promise<void> {
  const env = readEnv();
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RedpktError('USAGE', '--limit must be a positive integer');
  const mysql = flags.mysql.length > 0 ? flags.mysql : env.REDPKT_MYSQL ? [env.REDPKT_MYSQL] : [];
  const ours = await openOurs(packetStoreConfig(flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt', mysql));
  try {
    const reports = await ours.listReports(limit);
    io.write(
      flags.json
        ? `${JSON.stringify(
            reports.map((r) => ({ ...r, report: JSON.parse(r.report) as unknown })),
            null,
            2,
          )}\n`
        : renderHistory(reports),
    );
  } finally {
    await ours.close();
  }
}

export function registerRecon(program: Command, io: ReconIo = defaultIo): void {
  const recon = program
    .command('recon')
    .description('reconcile our orders against the finance ledger for a day (C2C) or an hour (B2C)')
    .option('--date <date>', 'the day, YYYY-MM-DD, in --tz')
    .option('--hour <hour>', '0..23: reconcile that hour only (default type b2c)')
    .option('--type <type>', 'c2c | b2c | all (default: c2c for a day, b2c for an hour)')
    .option('--tz <zone>', 'IANA time zone of --date and --hour', 'Asia/Shanghai')
    .option('--cutoff <duration>', 'how late the provider may settle an order of the window', '15m')
    .option('--json', 'print the JSON report instead of tables', false)
    .option('--out <file>', 'also write the JSON report to this file')
    .option('--first <n>', 'how many discrepancies to list', '20')
    .option('--data-dir <dir>', 'embedded store directory (default .redpkt)')
    .option('--mysql <url>', 'our MySQL/MariaDB database URL', collect, [])
    .option('--finance <url>', "finance's base URL: read its signed ledger export (needs the secret)")
    .option(
      '--finance-db <file|url>',
      "finance's own database (default: beside ours, from --data-dir/--mysql)",
    )
    .option('--secret <secret>', 'the service secret (default REDPKT_SECRET or <data-dir>/secret)')
    .option(
      '--shadow',
      "reconcile the shadow (load-test) lane: its stores, and finance's shadow books (x-redpkt-shadow: 1)",
      false,
    )
    .action(async (flags: Record<string, unknown>) => {
      const code = await reconCommand(flags, io);
      if (code !== 0) process.exitCode = code;
    });
  recon
    .command('list')
    .description('the stored reconciliation reports, newest first')
    .option('--data-dir <dir>', 'embedded store directory (default .redpkt)')
    .option('--mysql <url>', 'our MySQL/MariaDB database URL', collect, [])
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'JSON instead of a table', false)
    .action((flags: { dataDir?: string; mysql: string[]; limit?: string; json?: boolean }, cmd: Command) => {
      // `recon list --data-dir X`: the parent `recon` knows the same flags and takes them first
      const parent = (cmd.parent?.opts() ?? {}) as { dataDir?: string; mysql?: string[]; json?: boolean };
      return reconListCommand(
        {
          ...flags,
          ...((flags.dataDir ?? parent.dataDir) === undefined
            ? {}
            : { dataDir: flags.dataDir ?? parent.dataDir }),
          mysql: flags.mysql.length > 0 ? flags.mysql : (parent.mysql ?? []),
          json: flags.json === true || parent.json === true,
        },
        io,
      );
    });
}
