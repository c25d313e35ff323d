/**
 * Issue 24: the two books of a simulated run on disk. Both SQLite files are migrated once per
 * process into a template and copied for each seed (a migration per seed would cost more than the
 * run), each run gets its own directory, removed afterwards.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { pathToFileURL } from 'node:url';
import { createFinanceStore } from '../../src/finance/store/create-finance-store.js';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';

let template: Promise<string> | undefined;

function base(): string {
  // memory-backed where there is one: a run is thousands of small transactions
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

async function makeTemplate(): Promise<string> {
  const dir = mkdtempSync(join(base(), 'redpkt-sim-template-'));
  const store = await createSqliteStore({ file: join(dir, 'packets.db') });
  await store.migrate();
  await store.close();
  // recon at quiescence reads the switch store's mocked orders too (src/recon/open-sides.ts)
  const switches = await createSwitchStore({ kind: 'sqlite', file: join(dir, 'packets.db') });
  await switches.migrate();
  await switches.close();
  const finance = createFinanceStore({ kind: 'sqlite', file: join(dir, 'finance.db') });
  await finance.migrate();
  await finance.close();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunFiles {
  dir: string;
  packets: string;
  finance: string;
  /** Read-only views for the invariants. */
  open(): { packets: Client; finance: Client };
  remove(): void;
}

export async function runFiles(): Promise<RunFiles> {
  const from = await (template ??= makeTemplate());
  const dir = mkdtempSync(join(base(), 'redpkt-sim-'));
  const packets = join(dir, 'packets.db');
  const finance = join(dir, 'finance.db');
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(join(from, `packets.db${suffix}`)))
      copyFileSync(join(from, `packets.db${suffix}`), `${packets}${suffix}`);
    if (existsSync(join(from, `finance.db${suffix}`)))
      copyFileSync(join(from, `finance.db${suffix}`), `${finance}${suffix}`);
  }
  return {
    dir,
    packets,
    finance,
    open: () => ({
      packets: createClient({ url: pathToFileURL(packets).href }),
      finance: createClient({ url: pathToFileURL(finance).href }),
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
