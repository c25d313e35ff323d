import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconStoreContract } from './recon-store.contract.js';

reconStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-recon-'));
  return {
    config: { kind: 'sqlite', file: join(dir, 'redpkt.db') },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
