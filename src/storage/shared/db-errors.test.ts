import { describe, expect, it } from 'vitest';
import { isMysqlRetryable, isMysqlUniqueViolation, isSqliteUniqueViolation } from './db-errors.js';

const wrapped = (cause: object) => Object.assign(new Error('Failed query'), { cause });

describe('driver error recognition', () => {
  it('finds a MySQL duplicate key or deadlock however deeply drizzle wrapped it', () => {
    expect(isMysqlUniqueViolation(wrapped(wrapped({ errno: 1062, code: 'ER_DUP_ENTRY' })))).toBe(true);
    expect(isMysqlRetryable(wrapped({ errno: 1213 }))).toBe(true);
    expect(isMysqlRetryable(wrapped({ errno: 1205 }))).toBe(true);
    expect(isMysqlRetryable(wrapped({ errno: 1062 }))).toBe(false);
    expect(isMysqlUniqueViolation(new Error('nothing'))).toBe(false);
  });

  it('finds SQLite unique and primary key violations but not other constraint failures', () => {
    expect(
      isSqliteUniqueViolation(
        wrapped({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_UNIQUE' }),
      ),
    ).toBe(true);
    expect(isSqliteUniqueViolation({ extendedCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(true);
    expect(
      isSqliteUniqueViolation({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_CHECK' }),
    ).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a: { cause?: unknown } = {};
    a.cause = { cause: a };
    expect(isMysqlRetryable(a)).toBe(false);
  });
});
