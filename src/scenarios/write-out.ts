import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes a report or result file, making its folder first (`run/seg-3.json`). */
export async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/**
 * The same, but a reader never sees a half-written file: written beside it, then renamed over it
 * (a result file that `load merge --dashboard` re-reads while its generator rewrites it).
 */
export async function writeOutAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
