/**
 * Issue 17: a flag zod refused, said in the CLI's words: the flag as it is typed (`--core-timeout-ms`,
 * not `--coreTimeoutMs`), what it must be, and what was given.
 */
import type { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

/** `coreTimeoutMs` -> `--core-timeout-ms`. */
export const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** zod's own wording (ours, given with the schema, is kept as it is). */
const ZOD_WORDING = /^(Invalid|Too (big|small)|Expected)/;

function mustBe(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'a whole number';
      if (issue.expected === 'number') return 'a number';
      return issue.expected === 'string' ? 'text' : `a ${issue.expected}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `at most ${String(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'values'}`
        : `at most ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'values'}`
        : `at least ${String(issue.minimum)}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'a URL' : `a ${issue.format}`;
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
}

function given(flags: Record<string, unknown>, path: readonly PropertyKey[]): string {
  let value: unknown = flags;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value === undefined ? '' : `, got ${JSON.stringify(value)}`;
}

/** One USAGE error naming every refused flag. */
export function flagsError(error: z.ZodError, flags: Record<string, unknown>): RedpktError {
  const lines = error.issues.map((issue) => {
    const flag = flagName(String(issue.path[0] ?? ''));
    if (issue.message.startsWith('must be')) return `${flag} ${issue.message}${given(flags, issue.path)}`;
    if (!ZOD_WORDING.test(issue.message)) return `${flag}: ${issue.message}`;
    const what = mustBe(issue);
    return what ? `${flag} must be ${what}${given(flags, issue.path)}` : `${flag}: ${issue.message}`;
  });
  return new RedpktError('USAGE', lines.join('; '));
}
