/**
 * Issue 17, item 12: the built binary's help tells the truth the same way for every command:
 * serve's flags grouped by role, the environment variable beside every flag that has one, defaults
 * printed one way, examples, and the exit codes at the end; a mistyped subcommand gets "did you mean".
 */
import { describe, expect, it } from 'vitest';
import { FLAG_ENV } from '../../src/cli/help.js';
import { COMMANDS } from '../../src/commands/index.js';
import { runCli } from '../ops/support/cli.js';

const HELP_OF = [
  ...COMMANDS.map((c) => [c.name]),
  ['db', 'migrate'],
  ['fixtures', 'gen'],
  ['fixtures', 'load'],
  ['recon', 'list'],
];
const WITH_EXAMPLES = ['serve', 'token', 'db migrate', 'degrade', 'mock', 'limit', 'admin-key'];

describe('redpkt help (issue 17)', () => {
  it(
    'ends every command’s help with the exit codes, prints defaults one way and names env variables',
    {
      timeout: 180_000,
    },
    async () => {
      const helps = [];
      // three at a time: each loads its command's whole module graph, and the machine is shared
      for (let i = 0; i < HELP_OF.length; i += 3)
        helps.push(
          ...(await Promise.all(HELP_OF.slice(i, i + 3).map((words) => runCli([...words, '--help'])))),
        );
      helps.forEach((help, i) => {
        const name = HELP_OF[i]!.join(' ');
        expect([name, help.status]).toEqual([name, 0]);
        expect(help.stdout.trimEnd()).toMatch(
          /Exit codes \(README, "Exit codes"\):\n {2}0 ok · .* · 70 internal error$/,
        );
        expect(help.stdout).not.toMatch(/\(default: "|\(default \S/);
        const flat = help.stdout.replace(/\n\s+/g, ' ');
        for (const [flag, env] of Object.entries(FLAG_ENV)) {
          if (new RegExp(`^\\s+${flag} `, 'm').test(help.stdout))
            expect(flat).toMatch(new RegExp(`${flag} <[^>]+> [^]*?env: ${env}\\)`));
        }
        if (WITH_EXAMPLES.includes(name)) expect(help.stdout).toMatch(/\nExamples:\n {2}\$ redpkt /);
      });
    },
  );

  it('groups serve’s flags by role, and says limits are the cores’', async () => {
    const [serve, limit] = await Promise.all([runCli(['serve', '--help']), runCli(['limit', '--help'])]);
    const headings = serve.stdout.split('\n').filter((l) => /^\S.*:$/.test(l));
    expect(headings).toEqual([
      'Every role:',
      'API (--role all):',
      'Worker (--role all, and --role worker):',
      'Gateway (--role gateway):',
      'HTTP limits (--role all, and --role gateway):',
      'Fleet (--cores: a supervisor, its cores and their gateway):',
      'Examples:',
      'Exit codes (README, "Exit codes"):',
    ]);
    expect(serve.stdout).not.toMatch(/once they land/);
    expect(limit.stdout).toMatch(/enforced by every core/);
    expect(limit.stdout).not.toMatch(/at the gateway/);
  });

  it('suggests the subcommand for `recon lst` and the command for `sevre` (exit 3)', async () => {
    const [lst, sevre] = await Promise.all([runCli(['recon', 'lst']), runCli(['sevre'])]);
    expect([lst.status, lst.stderr]).toEqual([
      3,
      expect.stringContaining("unknown command 'lst' for 'redpkt recon'. Did you mean 'list'?"),
    ]);
    expect([sevre.status, sevre.stderr]).toEqual([3, expect.stringContaining('Did you mean serve?')]);
  });
});
