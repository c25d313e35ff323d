import type { Command } from 'commander';
import { registerAdminKey } from './admin-key.js';
import { registerDb } from './db.js';
import { registerDegrade } from './degrade.js';
import { registerFixtures } from './fixtures.js';
import { registerLimit } from './limit.js';
import { registerLoad } from './load.js';
import { registerMock } from './mock.js';
import { registerNotBuilt } from './not-built.js';
import { registerRecon } from './recon.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

export function registerCommands(program: Command): void {
  registerServe(program);
  registerToken(program);
  registerDb(program);
  registerLoad(program);
  registerFixtures(program);
  // issue 7: live switches and the admin key
  registerDegrade(program);
  registerMock(program);
  registerLimit(program);
  registerAdminKey(program);
  // issue 8: reconciliation
  registerRecon(program);
  registerNotBuilt(program);
}
