import { describe, expect, it } from 'vitest';
import { CLAIM_TRANSITIONS, type ClaimStatus } from '../../domain/claim.js';
import { assertDistinctClaimNos, claimsUpdates } from './claim-batches.js';
import { stepsTowards } from './settlement-rules.js';

const walk = (claimNo: string, from: ClaimStatus, to: ClaimStatus) => ({
  claimNo,
  from,
  steps: stepsTowards(CLAIM_TRANSITIONS, from, to, 'transferring'),
});

describe('claimsUpdates', () => {
  it('merges the claims arriving at transferring with those already there into one update', () => {
    const walks = [
      walk('a', 'claimed', 'transferred'),
      walk('b', 'transferring', 'transferred'),
      walk('c', 'failed', 'transferred'),
      walk('d', 'transferred', 'transferred'),
      walk('e', 'claimed', 'transferred'),
    ];
    expect(claimsUpdates(walks)).toStrictEqual([
      { guard: 'claimed', to: 'transferring', claimNos: ['a', 'e'] },
      { guard: 'failed', to: 'transferring', claimNos: ['c'] },
      { guard: 'transferring', to: 'transferred', claimNos: ['a', 'b', 'c', 'e'] },
    ]);
  });

  it('has nothing to run when no claim moves', () => {
    expect(claimsUpdates([walk('a', 'transferred', 'failed'), walk('b', 'failed', 'failed')])).toStrictEqual(
      [],
    );
  });

  it('runs every next step together when each status is still awaited (a cycle)', () => {
    const walks = [
      { claimNo: 'x', from: 'failed' as const, steps: ['transferring' as const] },
      { claimNo: 'y', from: 'transferring' as const, steps: ['failed' as const] },
    ];
    expect(claimsUpdates(walks)).toStrictEqual([
      { guard: 'failed', to: 'transferring', claimNos: ['x'] },
      { guard: 'transferring', to: 'failed', claimNos: ['y'] },
    ]);
  });
});

describe('assertDistinctClaimNos', () => {
  it('refuses a number named twice with VALIDATION_FAILED', () => {
    expect(() => assertDistinctClaimNos(['a', 'b'])).not.toThrow();
    expect(() => assertDistinctClaimNos(['a', 'b', 'a'])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
