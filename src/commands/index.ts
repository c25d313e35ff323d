import type { Command } from 'commander';
import { registerDb } from './db.js';
import { registerFixtures } from './fixtures.js';
import { registerLoad } from './load.js';
import { registerNotBuilt } from './not-built.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

export function registerCommands(program: Command): void {
  registerServe(program);
  registerToken(program);
  registerDb(program);
  registerLoad(program);
  registerFixtures(program);
  registerNotBuilt(program);
}
