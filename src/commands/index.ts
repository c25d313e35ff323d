import type { Command } from 'commander';
import { registerNotBuilt } from './not-built.js';

export function registerCommands(program: Command): void {
  registerNotBuilt(program);
}
