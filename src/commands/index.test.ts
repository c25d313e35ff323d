import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommands } from './index.js';

describe('the command list (issue 17: loaded lazily)', () => {
  it('lists each command as its module describes it, so `redpkt --help` reads the same loaded or not', async () => {
    const full = new Command('redpkt');
    await registerCommands(full);
    const lazy = new Command('redpkt');
    await registerCommands(lazy, ['node', 'redpkt', '--version']);
    const describe = (p: Command) =>
      p.commands.map((c) => [c.name(), c.description(), c.registeredArguments.map((a) => a.name())]);
    expect(describe(lazy)).toEqual(describe(full));
    expect(full.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });
});
