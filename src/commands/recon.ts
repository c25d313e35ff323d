/**
 * Issue 8: `redpkt recon --date D [--hour H]` reconciles a window of our orders against finance's
 * ledger and stores the report; `redpkt recon list` shows the history. Exit 0 clean,
 * 1 discrepancies, 3 usage error, 4 a store or finance unreachable.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { RedpktError } from '../domain/errors.js';
import type { ReconStore } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { createFinanceStore } from '../finance/store/create-finance-store.js';
import type { FinanceStoreConfig } from '../finance/store/types.js';
import { parseReconFlags, type ReconOptions } from '../recon/recon-flags.js';
import { renderHistory, renderReport } from '../recon/render.js';
import { runRecon, type ReconDeps } from '../recon/run-recon.js';
import { financeSignSecret } from '../runtime/secret.js';
import { financeStoreConfig, packetStoreConfig } from '../runtime/storage-config.js';
import { createStore, type StoreConfig } from '../storage/create-store.js';
import { openReconStore } from '../storage/recon/create-recon-store.js';
import { createSwitchStore } from '../storage/switches/create-switch-store.js';

export interface ReconIo {
  write(text: string): void;
  now(): number;
}

const defaultIo: ReconIo = { write: (t) => void process.stdout.write(t), now: () => Date.now() };
const collect = (value: string, previous: string[]) => [...previous, value];

async function mustExist(file: string, what: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new RedpktError(
      'DEPENDENCY_FAILED',
      `no ${what} at ${file} (give --data-dir, --mysql or --finance-db)`,
    );
  }
}

/** Our store: migrated (recon's table and indexes, the mocked-order table), then read-only. */
async function openOurs(
  dataDir: string,
  mysql: readonly string[],
): Promise<{ config: StoreConfig; recon: ReconStore }> {
  const config = packetStoreConfig(dataDir, mysql);
  if (config.kind === 'sqlite') await mustExist(config.file, 'packet store');
  const store = await createStore(config);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  const switches = await createSwitchStore(config);
  try {
    await switches.migrate();
  } finally {
    await switches.close();
  }
  return { config, recon: openReconStore(config) };
}

async function readSecret(dataDir: string, given: string | undefined): Promise<string> {
  if (given) return given;
  try {
    return (await readFile(join(dataDir, 'secret'), 'utf8')).trim();
  } catch {
    throw new RedpktError(
      'USAGE',
      '--finance needs the service secret: --secret, REDPKT_SECRET or <data-dir>/secret',
    );
  }
}

type Provider = Pick<ReconDeps, 'ledger' | 'providerOrder'> & { close(): Promise<void> };

async function openProvider(
  opts: ReconOptions,
  dataDir: string,
  mysql: readonly string[],
): Promise<Provider> {
  if (opts.finance) {
    const client = createFinanceClient({
      baseUrl: opts.finance,
      secret: financeSignSecret(await readSecret(dataDir, opts.secret)),
    });
    return {
      ledger: async (q) => (await client.listLedger(q)).entries,
      providerOrder: (no) => client.queryOrder(no),
      close: () => client.close(),
    };
  }
  let config: FinanceStoreConfig;
  if (opts.financeDb) {
    config = /^mysql:\/\//.test(opts.financeDb)
      ? { kind: 'mysql', url: opts.financeDb }
      : { kind: 'sqlite', file: opts.financeDb };
  } else {
    config = financeStoreConfig(dataDir, mysql);
  }
  if (config.kind === 'sqlite') await mustExist(config.file, 'finance store');
  const store = createFinanceStore(config);
  return {
    ledger: (q) => store.listLedger(q),
    providerOrder: (no) => store.getOrder(no),
    close: () => store.close(),
  };
}

export async function reconCommand(flags: Record<string, unknown>, io: ReconIo = defaultIo): Promise<number> {
  const opts = parseReconFlags(flags);
  const env = readEnv();
  const dataDir = opts.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt';
  const mysql = opts.mysql.length > 0 ? opts.mysql : env.REDPKT_MYSQL ? [env.REDPKT_MYSQL] : [];
  const secret = opts.secret ?? env.REDPKT_SECRET;
  const ours = await openOurs(dataDir, mysql);
  try {
    const provider = await openProvider({ ...opts, secret }, dataDir, mysql);
    try {
      const report = await runRecon(
        { store: ours.recon, ledger: provider.ledger, providerOrder: provider.providerOrder },
        { window: opts.window, type: opts.type, cutoffMs: opts.cutoffMs, keep: Math.max(opts.first, 50) },
      );
      const json = JSON.stringify(report, null, 2);
      await ours.recon.saveReport({
        windowKey: report.window.key,
        type: report.type,
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
    await ours.recon.close();
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
  const ours = await openOurs(flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt', mysql);
  try {
    const reports = await ours.recon.listReports(limit);
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
    await ours.recon.close();
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
