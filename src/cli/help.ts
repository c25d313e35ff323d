/**
 * Issue 17: help that reads the same for every command. Defaults print one way (`default: X`,
 * whether commander applies them or the description states them), the environment variable of a
 * flag that has one is shown beside it, every command's help can end with examples
 * (`withExamples`), and all of them end with the exit codes. Set on the program before the
 * commands are added: commander copies the help settings into each subcommand.
 */
import type { Command, Help, Option } from 'commander';
import { didYouMean } from '../domain/did-you-mean.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/**
 * The environment variable each flag falls back to, wherever it appears (src/config/env.ts reads
 * them; every command with one of these flags honours it).
 */
export const FLAG_ENV: Readonly<Record<string, string>> = {
  '--data-dir': 'REDPKT_DATA_DIR',
  '--mysql': 'REDPKT_MYSQL',
  '--redis': 'REDPKT_REDIS',
  '--secret': 'REDPKT_SECRET',
  '--admin-key': 'REDPKT_ADMIN_KEY',
  '--log-level': 'REDPKT_LOG_LEVEL',
  '--alert-webhook': 'REDPKT_ALERT_WEBHOOK',
};

/** A default written in the description, `(default X)` or `(default: X)`, at its end. */
const STATED_DEFAULT = /\s*\(default:? ([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$/;

function shownDefault(option: Option): string | undefined {
  const value: unknown = option.defaultValue;
  if (option.defaultValueDescription) return option.defaultValueDescription;
  if (value === undefined || value === false || (Array.isArray(value) && value.length === 0))
    return undefined;
  if (option.negate) return undefined; // `--no-x`: on unless given
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function optionDescription(option: Option): string {
  let text = option.description;
  let stated: string | undefined;
  const m = STATED_DEFAULT.exec(text);
  if (m) {
    stated = m[1];
    text = text.slice(0, m.index);
  }
  const extras: string[] = [];
  if (option.argChoices) extras.push(`one of ${option.argChoices.join(', ')}`);
  const def = shownDefault(option) ?? stated;
  if (def) extras.push(`default: ${def}`);
  const env = option.long ? FLAG_ENV[option.long] : undefined;
  if (env) extras.push(`env: ${env}`);
  return extras.length > 0 ? `${text} (${extras.join('; ')})` : text;
}

export function configureRedpktHelp(program: Command): void {
  program.configureHelp({
    optionDescription: (option: Option) => optionDescription(option),
  } satisfies Partial<Help>);
  program.addHelpText('afterAll', `\n${EXIT_CODES_HELP}\n`);
}

/** Ends `command`'s help with examples, one command line each. */
export function withExamples<C extends Command>(command: C, examples: readonly string[]): C {
  command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  return command;
}

/**
 * commander's "too many arguments for 'recon'" when the word is a mistyped subcommand
 * (`redpkt recon lst`): say so, with the closest subcommand.
 */
export function explainExcessArguments(message: string, program: Command, argv: readonly string[]): string {
  const m = /too many arguments for '([^']+)'/.exec(message);
  if (!m) return message;
  const path: Command[] = [];
  let at: Command = program;
  for (const word of argv.slice(2)) {
    const next = at.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) {
      path.push(next);
      at = next;
    }
  }
  if (at.name() !== m[1] || at.commands.length === 0) return message;
  const names = at.commands.map((c) => c.name());
  const after = firstOperand(at, argv.slice(argv.lastIndexOf(at.name()) + 1));
  if (after === undefined) return message;
  const guess = didYouMean(after, names);
  const where = ['redpkt', ...path.map((c) => c.name())].join(' ');
  return `error: unknown command '${after}' for '${where}'${guess ? `. Did you mean '${guess}'?` : ` (its commands: ${names.join(', ')})`}\n`;
}

/** The first word that is neither a flag nor a flag's value. */
function firstOperand(command: Command, words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) return word;
    const option = command.options.find((o) => o.long === word || o.short === word);
    if (option && (option.required || option.optional)) i++;
  }
  return undefined;
}
