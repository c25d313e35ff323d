/**
 * The switch store beside the packet store: the same SQLite file, or the first MySQL URL (its row
 * counts for /metrics read every shard).
 */
import { access } from 'node:fs/promises';
import { RedpktError } from '../../domain/errors.js';
import type { StoreConfig } from '../../runtime/storage-config.js';
import type { SwitchStore } from '../../switches/ports.js';
import { createMysqlSwitchStore } from './mysql-switch-store.js';
import { createSqliteSwitchStore } from './sqlite-switch-store.js';

export interface SwitchStoreOptions {
  /**
   * The CLI writes into a running service's database: a SQLite file that does not exist is a wrong
   * --data-dir, not a new store (a switch set there would reach no instance).
   */
  mustExist?: boolean;
}

export async function createSwitchStore(
  config: StoreConfig,
  opts: SwitchStoreOptions = {},
): Promise<SwitchStore> {
  switch (config.kind) {
    case 'sqlite': {
      if (opts.mustExist) {
        await access(config.file).catch((e: unknown) => {
          // issue 17: no store where one must be is exit 4, as for recon
          throw new RedpktError(
            'DEPENDENCY_FAILED',
            `no packet store at ${config.file}: pass the --data-dir of a running service (or --mysql / --target)`,
            { cause: e },
          );
        });
      }
      return createSqliteSwitchStore({ file: config.file });
    }
    case 'mysql': {
      const url = config.urls[0];
      if (url === undefined) throw new RedpktError('USAGE', 'a MySQL switch store needs a database URL');
      // switches live on the first shard; /metrics' row counts read every shard
      return createMysqlSwitchStore({ url, shardUrls: config.urls.slice(1) });
    }
  }
}
