import { withExamples } from '../cli/help.js';
/**
 * Issue 22: `redpkt recon export --date D [--hour H] [--type …] [--shadow] --out DIR` writes both
 * sides of the window as Parquet (Hive partitions) with a manifest, for `recon --from DIR`, DuckDB
 * anywhere, or Spark (`recon sql --engine spark`).
 */
import type { Command } from 'commander';
import { RedpktError } from '../domain/errors.js';
import { formatCount } from '../recon/count-words.js';
import { exportWindow } from '../recon/export/write-export.js';
import { openOurs, openProvider } from '../recon/open-sides.js';
import { parseReconFlags } from '../recon/recon-flags.js';
import { packetStoreConfig, shadowStoreConfig } from '../runtime/storage-config.js';
import { TABLES } from '../recon/duck/layout.js';
import { storePlaces, windowFlags, withParentFlags, type ReconIo } from './recon.js';

export async function reconExportCommand(flags: Record<string, unknown>, io: ReconIo): Promise<number> {
  const dir = flags.out;
  if (typeof dir !== 'string' || dir.length === 0)
    throw new RedpktError('USAGE', '--out <dir>: is required (where the export goes)');
  const opts = parseReconFlags({ ...flags, out: undefined, from: undefined });
  const { dataDir, mysql, secret } = storePlaces(opts);
  const config = packetStoreConfig(dataDir, mysql);
  const ours = await openOurs(opts.lane === 'shadow' ? shadowStoreConfig(config) : config);
  try {
    const provider = await openProvider({ ...opts, secret, dataDir, mysql });
    try {
      const m = await exportWindow(
        { store: ours, ...provider },
        { window: opts.window, type: opts.type, cutoffMs: opts.cutoffMs, now: io.now(), lane: opts.lane },
        dir,
        opts.engine,
      );
      if (opts.json) io.write(`${JSON.stringify(m, null, 2)}\n`);
      else {
        const lines = TABLES.map(
          (t) =>
            `  ${t.padEnd(16)} ${formatCount(m.tables[t].rows).padStart(12)} rows ${formatCount(m.tables[t].fen).padStart(16)} fen`,
        );
        io.write(
          `exported ${m.window.key} ${m.type} (${m.lane} lane) to ${dir}:\n${lines.join('\n')}\n` +
            `manifest: ${dir}/manifest.json; reconcile it with: redpkt recon --from ${dir}\n`,
        );
      }
      return 0;
    } finally {
      await provider.close();
    }
  } finally {
    await ours.close();
  }
}

export function registerReconExport(recon: Command, io: ReconIo): void {
  const cmd = windowFlags(
    recon
      .command('export')
      .description('write a window of both sides as Parquet (Hive partitions) with a manifest'),
  )
    .option('--out <dir>', 'a new or empty directory for the export (required)')
    .option('--json', 'print the manifest as JSON', false)
    .action(async (flags: Record<string, unknown>, c: Command) => {
      const code = await reconExportCommand(withParentFlags(flags, c), io);
      if (code !== 0) process.exitCode = code;
    });
  withExamples(cmd, [
    'redpkt recon export --date 2026-02-11 --data-dir .redpkt --out ./export-2026-02-11',
    'redpkt recon export --date 2026-02-11 --hour 20 --mysql mysql://root@127.0.0.1/redpkt --out ./export-h20',
  ]);
}
