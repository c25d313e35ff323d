/**
 * What `redpkt load merge` reads: result files, and folders of them (every `*.json` in the folder
 * that is a result file: a shell glob run before the generators wrote their files would miss
 * them, a folder does not). Read again while following a run (`--dashboard`): a file is parsed
 * again only when its size or modification time changed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RedpktError } from '../domain/errors.js';
import { parseResultFile, RESULT_FORMAT, type ResultFile } from './result-file.js';

export interface InputFile {
  file: string;
  result: ResultFile;
}

export interface InputRead {
  files: InputFile[];
  /** Changes whenever a file appears, goes or is rewritten. */
  stamp: string;
}

export interface InputReader {
  /**
   * `follow`: a named file not there yet is waited for (left out), not an error. A folder's
   * JSON files that are not result files (a merged report written there) are skipped.
   */
  read(): Promise<InputRead>;
}

export function createInputReader(paths: readonly string[], opts: { follow: boolean }): InputReader {
  const cache = new Map<string, { key: string; result: ResultFile | null }>();

  const parse = async (file: string, inFolder: boolean): Promise<ResultFile | null | undefined> => {
    let info;
    try {
      info = await stat(file);
    } catch (e) {
      if (opts.follow && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RedpktError('USAGE', `no result file ${file}`, { cause: e });
    }
    const key = `${info.size}:${info.mtimeMs}`;
    const known = cache.get(file);
    if (known?.key === key) return known.result;
    const text = await readFile(file, 'utf8').catch((e: unknown) => {
      throw new RedpktError('USAGE', `cannot read result file ${file}`, { cause: e });
    });
    const result = inFolder && !looksLikeResult(text) ? null : parseResultFile(text, file);
    cache.set(file, { key, result });
    return result;
  };

  return {
    async read() {
      const files: InputFile[] = [];
      const stamps: string[] = [];
      for (const path of paths) {
        const entries = await folderEntries(path);
        for (const file of entries ?? [path]) {
          const result = await parse(file, entries !== undefined);
          if (!result) continue;
          files.push({ file, result });
          stamps.push(`${file}=${cache.get(file)?.key ?? ''}`);
        }
      }
      return { files, stamp: stamps.join('|') };
    },
  };
}

/** The folder's `*.json` files in name order, or undefined when `path` is not a folder. */
async function folderEntries(path: string): Promise<string[] | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  return (await readdir(path))
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(path, n));
}

function looksLikeResult(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === RESULT_FORMAT;
  } catch {
    return false;
  }
}
