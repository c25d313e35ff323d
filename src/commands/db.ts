import type { Command } from 'commander';
import { withExamples } from '../cli/help.js';
import { readEnv } from '../config/env.js';
import { resolveServeConfig } from '../config/serve-config.js';
import { createFinanceStore } from '../finance/store/create-finance-store.js';
import { createStore } from '../storage/create-store.js';
import { createSwitchStore } from '../storage/switches/create-switch-store.js';
import { ensureMysqlDatabase, financeStoreConfig, packetStoreConfig } from '../runtime/storage-config.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerDb(program: Command): void {
  const db = program.command('db').description('database maintenance');
  withExamples(db, ['redpkt db migrate --data-dir .redpkt']);
  const migrate = db
    .command('migrate')
    .description('create or update the tables of the packet store and the simulated finance store')
    .option('--data-dir <dir>', 'embedded store directory (default .redpkt)')
    .option('--mysql <url>', 'MySQL/MariaDB database URL (repeatable for shards)', collect, [])
    .action(async (flags: { dataDir?: string; mysql: string[] }) => {
      const config = resolveServeConfig(flags, readEnv());
      const storeConfig = packetStoreConfig(config.dataDir, config.mysql);
      const financeConfig = financeStoreConfig(config.dataDir, config.mysql);
      if (storeConfig.kind === 'mysql') for (const url of storeConfig.urls) await ensureMysqlDatabase(url);
      if (financeConfig.kind === 'mysql') await ensureMysqlDatabase(financeConfig.url);
      const store = await createStore(storeConfig);
      try {
        await store.migrate();
      } finally {
        await store.close();
      }
      // issue 7: the switch, audit and mocked-order tables beside the packet tables
      const switches = await createSwitchStore(storeConfig);
      try {
        await switches.migrate();
      } finally {
        await switches.close();
      }
      const finance = await createFinanceStore(financeConfig);
      try {
        await finance.migrate();
      } finally {
        await finance.close();
      }
      process.stdout.write('migrated\n');
    });
  withExamples(migrate, [
    'redpkt db migrate --data-dir .redpkt',
    'redpkt db migrate --mysql mysql://root@127.0.0.1:3306/redpkt',
  ]);
}
