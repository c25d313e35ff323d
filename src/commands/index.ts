/**
 * Every subcommand, in the order `redpkt --help` lists them. Issue 17: a command's module (and
 * everything it imports) is loaded only when that command runs or shows its help; the others are
 * listed from `summary` alone, so `redpkt --version` or `redpkt token` start without the server,
 * the stores or the load runner.
 */
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  /** Its arguments as `--help` lists them beside the name, e.g. `<scenario>`. */
  args?: string;
  summary: string;
  register(): Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'run the packet service with the simulated payment provider (embedded SQLite unless --mysql)',
    register: async () => (await import('./serve.js')).registerServe,
  },
  {
    name: 'token',
    summary: 'print a bearer token for a user (for people and scripts)',
    register: async () => (await import('./token.js')).registerToken,
  },
  {
    name: 'db',
    summary: 'database maintenance',
    register: async () => (await import('./db.js')).registerDb,
  },
  {
    name: 'load',
    args: '<scenario>',
    summary:
      'scripted full-chain load: send -> many concurrent claimers -> query, with a money check at the end',
    register: async () => (await import('./load.js')).registerLoad,
  },
  {
    name: 'fixtures',
    summary: 'generate and load users with mocked real-name and payment identities',
    register: async () => (await import('./fixtures.js')).registerFixtures,
  },
  // issue 7: live switches and the admin key
  {
    name: 'degrade',
    args: '[name] [state]',
    summary: 'degrade an endpoint on every running instance (503 DEGRADED with a friendly message)',
    register: async () => (await import('./degrade.js')).registerDegrade,
  },
  {
    name: 'mock',
    args: '[dep] [state]',
    summary: 'short-circuit a dependency for a rehearsal: the service answers for it, orders marked mocked',
    register: async () => (await import('./mock.js')).registerMock,
  },
  {
    name: 'limit',
    args: '[action] [endpoint] [n]',
    summary: 'per-endpoint requests per second, enforced by every core (over the cluster with Redis)',
    register: async () => (await import('./limit.js')).registerLimit,
  },
  {
    name: 'admin-key',
    summary:
      "print the key of the service's /admin API (REDPKT_ADMIN_KEY, or derived from the service secret)",
    register: async () => (await import('./admin-key.js')).registerAdminKey,
  },
  // issue 8: reconciliation
  {
    name: 'recon',
    summary: 'reconcile our orders against the finance ledger for a day (C2C) or an hour (B2C)',
    register: async () => (await import('./recon.js')).registerRecon,
  },
];

/**
 * Adds every command to `program`: the one `argv` names (or asks help for) with its flags, the
 * others as their name and summary. Without `argv`, every command in full.
 */
export async function registerCommands(program: Command, argv?: readonly string[]): Promise<void> {
  const wanted = argv === undefined ? undefined : commandNamed(argv);
  for (const entry of COMMANDS) {
    if (argv === undefined || entry.name === wanted) (await entry.register())(program);
    else {
      const stub = program.command(entry.name).description(entry.summary);
      if (entry.args) stub.arguments(entry.args);
    }
  }
}

/** The command `redpkt …` runs: its first word, or the one after `help`. */
function commandNamed(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((w) => !w.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
