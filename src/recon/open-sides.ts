/**
 * Issue 8: opens the two sides `redpkt recon` reads. Ours: the packet store (migrated, then read
 * through the ReconStore). Theirs: finance's ledger, orders and reward-issuer export, over its
 * signed HTTP API (`--finance URL`) or straight from its database. With `--shadow` every store is
 * its shadow twin (src/runtime/storage-config.ts) and HTTP calls carry `x-redpkt-shadow: 1`, which
 * the serving process answers from its shadow lane's finance.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RedpktError } from '../domain/errors.js';
import type { ReconStore } from '../domain/ports.js';
import { createFinanceClient } from '../finance/client.js';
import { createGrantExportClient } from '../finance/rain/grant-export-client.js';
import { createFinanceStore } from '../finance/store/create-finance-store.js';
import type { FinanceStoreConfig } from '../finance/store/types.js';
import { financeSignSecret } from '../runtime/secret.js';
import { financeStoreConfig, shadowFinanceConfig } from '../runtime/storage-config.js';
import { createStore, type StoreConfig } from '../storage/create-store.js';
import { openReconStore } from '../storage/recon/create-recon-store.js';
import { createSwitchStore } from '../storage/switches/create-switch-store.js';
import { SHADOW_HEADERS } from '../domain/ids.js';
import type { ReconLane } from './lane.js';
import type { ReconDeps } from './run-recon.js';

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

/** A packet store: migrated (recon's tables and indexes, the mocked-order table), then read-only. */
export async function openOurs(config: StoreConfig, what = 'packet store'): Promise<ReconStore> {
  if (config.kind === 'sqlite') await mustExist(config.file, what);
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
  return openReconStore(config);
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

export type Provider = Pick<ReconDeps, 'ledger' | 'providerOrder' | 'issuer'> & { close(): Promise<void> };

export interface ProviderOptions {
  finance: string | undefined;
  financeDb: string | undefined;
  secret: string | undefined;
  dataDir: string;
  mysql: readonly string[];
  lane: ReconLane;
}

export async function openProvider(opts: ProviderOptions): Promise<Provider> {
  if (opts.finance) {
    const caller = {
      baseUrl: opts.finance,
      secret: financeSignSecret(await readSecret(opts.dataDir, opts.secret)),
      ...(opts.lane === 'shadow' ? { headers: SHADOW_HEADERS } : {}),
    };
    const client = createFinanceClient(caller);
    const issuer = createGrantExportClient(caller);
    return {
      ledger: async (q) => (await client.listLedger(q)).entries,
      providerOrder: (no) => client.queryOrder(no),
      issuer,
      async close() {
        await client.close();
        await issuer.close();
      },
    };
  }
  let config: FinanceStoreConfig;
  if (opts.financeDb) {
    config = /^mysql:\/\//.test(opts.financeDb)
      ? { kind: 'mysql', url: opts.financeDb }
      : { kind: 'sqlite', file: opts.financeDb };
  } else {
    config = financeStoreConfig(opts.dataDir, opts.mysql);
  }
  if (opts.lane === 'shadow') config = shadowFinanceConfig(config);
  if (config.kind === 'sqlite')
    await mustExist(config.file, `${opts.lane === 'shadow' ? 'shadow ' : ''}finance store`);
  const store = createFinanceStore(config);
  return {
    ledger: (q) => store.listLedger(q),
    providerOrder: (no) => store.getOrder(no),
    issuer: store,
    close: () => store.close(),
  };
}
