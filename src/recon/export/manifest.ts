/**
 * Issue 22: the manifest of a recon export (`manifest.json` beside the tables): what was exported
 * (window, type, lane, cut-off) and, per table and per file, rows, fen and a SHA-256, so whoever
 * loads it can verify what they loaded. `recon --from` refuses an export that does not match it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RedpktError } from '../../domain/errors.js';
import type { ReconLane } from '../lane.js';
import type { ReconType } from '../sql-statements.js';
import type { ReconWindow } from '../window.js';
import { TABLES, type TableName } from '../duck/layout.js';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'redpkt-recon-export/1';

export interface ExportFile {
  /** Relative to the export directory, `/`-separated. */
  path: string;
  rows: number;
  fen: number;
  bytes: number;
  sha256: string;
}

export interface ExportTable {
  rows: number;
  fen: number;
  files: ExportFile[];
}

export interface Manifest {
  format: typeof FORMAT;
  window: ReconWindow;
  type: ReconType;
  lane: ReconLane;
  cutoffMs: number;
  exportedAt: string;
  tables: Record<TableName, ExportTable>;
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const refuse = (dir: string, why: string) =>
  new RedpktError('DEPENDENCY_FAILED', `the recon export at ${dir} does not match its manifest: ${why}`);

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch {
    throw new RedpktError(
      'DEPENDENCY_FAILED',
      `no recon export at ${dir} (no ${MANIFEST}; write one with redpkt recon export)`,
    );
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw refuse(dir, `${MANIFEST} is not JSON`);
  }
  if (m.format !== FORMAT) throw refuse(dir, `format ${String(m.format)}, expected ${FORMAT}`);
  for (const t of TABLES) if (!m.tables?.[t]) throw refuse(dir, `table ${t} is missing`);
  return m;
}

/** Every file is there with its size and checksum (a truncated or changed file is refused). */
export async function verifyFiles(dir: string, m: Manifest): Promise<void> {
  for (const t of TABLES) {
    const table = m.tables[t];
    if (table.files.reduce((s, f) => s + f.rows, 0) !== table.rows)
      throw refuse(dir, `${t}: file rows do not add up`);
    for (const f of table.files) {
      if (f.path.includes('..')) throw refuse(dir, `${f.path}: outside the export`);
      const file = join(dir, f.path);
      let bytes: number;
      try {
        bytes = (await stat(file)).size;
      } catch {
        throw refuse(dir, `${f.path} is missing`);
      }
      if (bytes !== f.bytes) throw refuse(dir, `${f.path} has ${bytes} bytes, the manifest says ${f.bytes}`);
      if ((await sha256(file)) !== f.sha256) throw refuse(dir, `${f.path}: SHA-256 differs`);
    }
  }
}

export { refuse as manifestMismatch };
