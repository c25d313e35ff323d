import { describe, expect, it } from 'vitest';
import { RedpktError } from '../domain/errors.js';
import { describeFailure } from './describe-failure.js';

const withCode = (message: string, code: string, extra: object = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('describeFailure (issue 17)', () => {
  it('keeps our own errors and their codes', () => {
    expect(describeFailure(new RedpktError('USAGE', '--port must be a number'))).toEqual({
      code: 'USAGE',
      message: '--port must be a number',
    });
  });

  it('says a refused secret is the secret, naming where it comes from', () => {
    const f = describeFailure(new RedpktError('INVALID_SIGNATURE', 'bad signature'));
    expect(f.code).toBe('INVALID_SIGNATURE');
    expect(f.message).toMatch(/--secret, REDPKT_SECRET or --data-dir/);
  });

  it('turns a refused connection, an unknown database or a failed fetch into DEPENDENCY_FAILED', () => {
    expect(describeFailure(withCode('connect ECONNREFUSED 127.0.0.1:3399', 'ECONNREFUSED'))).toEqual({
      code: 'DEPENDENCY_FAILED',
      message: 'cannot reach a store or service: connect ECONNREFUSED 127.0.0.1:3399',
    });
    const unknownDb = withCode("Unknown database 'nope'", 'ER_BAD_DB_ERROR', { sqlState: '42000' });
    expect(describeFailure(unknownDb).message).toBe(
      "cannot reach a store or service: MySQL: Unknown database 'nope'",
    );
    const fetchFailed = new TypeError('fetch failed', {
      cause: new AggregateError([withCode('connect ECONNREFUSED ::1:9', 'ECONNREFUSED')]),
    });
    expect(describeFailure(fetchFailed)).toMatchObject({
      code: 'DEPENDENCY_FAILED',
      message: expect.stringMatching(/ECONNREFUSED ::1:9 \(fetch failed\)$/),
    });
  });

  it('keeps anything else a bug, with its stack', () => {
    const f = describeFailure(new TypeError('x is undefined'));
    expect(f.code).toBe('INTERNAL');
    expect(f.stack).toMatch(/TypeError: x is undefined/);
  });
});
