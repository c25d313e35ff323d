/** Issue 8: the `recon` flags, parsed with zod in one place (STYLE rule 5). */
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import { parseDuration } from '../scenarios/duration.js';
import { DEFAULT_TZ, parseHour, reconWindow, type ReconWindow } from './window.js';
import type { ReconLane } from './lane.js';
import type { ReconType } from './run-recon.js';

export const ReconFlagsSchema = z.object({
  date: z.string().optional(),
  hour: z.string().optional(),
  type: z.enum(['c2c', 'b2c', 'all']).optional(),
  tz: z.string().default(DEFAULT_TZ),
  cutoff: z.string().default('15m'),
  json: z.boolean().default(false),
  out: z.string().optional(),
  first: z.coerce.number().int().min(0).max(10_000).default(20),
  dataDir: z.string().min(1).optional(),
  mysql: z.array(z.string().url()).default([]),
  finance: z.string().url().optional(),
  financeDb: z.string().min(1).optional(),
  secret: z.string().min(16).optional(),
  shadow: z.boolean().default(false),
  /** Issue 22: reconcile an export (`recon export --out DIR`) instead of the stores. */
  from: z.string().min(1).optional(),
  memoryLimit: z.string().default('1GB'),
  tempDir: z.string().min(1).optional(),
});

export interface ReconOptions {
  window: ReconWindow;
  /** Default: b2c for an hour, c2c for a day. */
  type: ReconType;
  cutoffMs: number;
  json: boolean;
  out: string | undefined;
  first: number;
  dataDir: string | undefined;
  mysql: string[];
  finance: string | undefined;
  financeDb: string | undefined;
  secret: string | undefined;
  /** Reconcile the shadow (load-test) lane's books instead of the real ones. */
  lane: ReconLane;
  from: string | undefined;
  engine: { memoryLimit: string; tempDir?: string };
}

export function parseReconFlags(flags: Record<string, unknown>): ReconOptions {
  const result = ReconFlagsSchema.safeParse(flags);
  if (!result.success) {
    throw new RedpktError(
      'USAGE',
      result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const f = result.data;
  if (f.finance && f.financeDb)
    throw new RedpktError('USAGE', 'give --finance URL or --finance-db, not both');
  if (f.date === undefined && !f.from) throw new RedpktError('USAGE', '--date: is required (YYYY-MM-DD)');
  const hour = parseHour(f.hour);
  // with --from and no --date, a placeholder: the window is the export's (checked by the caller)
  const window = reconWindow(f.date ?? '1970-01-01', hour, f.tz);
  const cutoffMs = parseDuration(f.cutoff, '--cutoff');
  return {
    window,
    type: f.type ?? (hour === null ? 'c2c' : 'b2c'),
    cutoffMs,
    json: f.json,
    out: f.out,
    first: f.first,
    dataDir: f.dataDir,
    mysql: f.mysql,
    finance: f.finance,
    financeDb: f.financeDb,
    secret: f.secret,
    lane: f.shadow ? 'shadow' : 'real',
    from: f.from,
    engine: { memoryLimit: f.memoryLimit, ...(f.tempDir ? { tempDir: f.tempDir } : {}) },
  };
}
