import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { flagsError } from './flag-errors.js';

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  coreTimeoutMs: z.coerce.number().int().min(1).optional(),
  mysql: z.array(z.string().url()).default([]),
  logLevel: z
    .string()
    .pipe(z.enum(['error', 'info']))
    .optional(),
  secret: z.string().min(16, 'the secret must be at least 16 characters').optional(),
});

const messageFor = (flags: Record<string, unknown>) => {
  const r = schema.safeParse(flags);
  if (r.success) throw new Error('expected a refusal');
  return flagsError(r.error, flags).message;
};

describe('flag errors in the CLI’s words (issue 17)', () => {
  it('names the flag as typed, what it must be and what was given, without zod’s wording', () => {
    expect(messageFor({ port: 'eighty' })).toBe('--port must be a number, got "eighty"');
    expect(messageFor({ port: '1.5' })).toBe('--port must be a whole number, got "1.5"');
    expect(messageFor({ port: '70000' })).toBe('--port must be at most 65535, got "70000"');
    expect(messageFor({ port: 1, coreTimeoutMs: '0' })).toBe('--core-timeout-ms must be at least 1, got "0"');
    expect(messageFor({ port: 1, mysql: ['x'] })).toBe('--mysql must be a URL, got "x"');
    expect(messageFor({ port: 1, logLevel: 'loud' })).toBe(
      '--log-level must be one of error, info, got "loud"',
    );
  });

  it('keeps a message the schema gives', () => {
    expect(messageFor({ port: 1, secret: 'short' })).toBe(
      '--secret: the secret must be at least 16 characters',
    );
  });
});
