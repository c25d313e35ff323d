import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../domain/errors.js';
import { EXIT, EXIT_TABLE, exitCodeFor } from './exit-codes.js';

/** The rows of README's "### Exit codes" table: [code, meaning]. */
function readmeExitTable(): Array<[number, string]> {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split(/^### Exit codes\s*$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), m[2]!]);
}

describe('exit codes (issue 17)', () => {
  it("README's table is the one mapping, row by row", () => {
    expect(readmeExitTable()).toEqual(EXIT_TABLE.map((r) => [r.code, r.meaning]));
  });

  it('maps every error code to a documented exit code', () => {
    const documented = new Set<number>(EXIT_TABLE.map((r) => r.code));
    for (const code of ERROR_CODES) expect(documented.has(exitCodeFor(code))).toBe(true);
  });

  it('maps usage, refused secrets and unreachable dependencies as README says', () => {
    expect(exitCodeFor('USAGE')).toBe(EXIT.usage);
    expect(exitCodeFor('INVALID_SIGNATURE')).toBe(EXIT.usage);
    expect(exitCodeFor('UNAUTHENTICATED')).toBe(EXIT.usage);
    expect(exitCodeFor('DEPENDENCY_FAILED')).toBe(EXIT.unavailable);
    expect(exitCodeFor('NOT_IMPLEMENTED')).toBe(EXIT.internal);
  });
});
