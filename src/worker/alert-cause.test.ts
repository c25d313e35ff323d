import { describe, expect, it } from 'vitest';
import { causeOf } from './alert-cause.js';

describe('the cause of an alert', () => {
  it('reads what the task last met: finance unreachable, not settling, given up, or failing', () => {
    const of = (lastError: string | null, taskStatus = 'pending') => causeOf({ taskStatus, lastError });
    expect(of('DEPENDENCY_FAILED: finance answered 503')).toBe('finance_unreachable');
    expect(of('connect ECONNREFUSED 127.0.0.1:9')).toBe('finance_unreachable');
    expect(of('finance has not settled the transfer yet')).toBe('finance_not_settling');
    expect(of('withdrawal W1 still pending at finance')).toBe('finance_not_settling');
    expect(of(null)).toBe('finance_not_settling');
    expect(of('ECONNREFUSED', 'dead')).toBe('task_given_up');
    expect(of('no transfer route for b2c packets yet')).toBe('task_failing');
  });
});
