import { describe, expect, it } from 'vitest';
import { CLAIM_TRANSITIONS } from './claim.js';
import { RedpktError } from './errors.js';
import { PAYMENT_TRANSITIONS, REFUND_TRANSITIONS } from './order.js';
import { PACKET_STATUSES, PACKET_TRANSITIONS } from './packet.js';
import { assertTransition, canTransition, isFinal } from './state-machine.js';

describe('state machines', () => {
  it('walks a packet unpaid -> active -> expired -> refunding -> refunded', () => {
    const path = ['unpaid', 'active', 'expired', 'refunding', 'refunded'] as const;
    for (let i = 1; i < path.length; i++) {
      expect(() => assertTransition('packet', PACKET_TRANSITIONS, path[i - 1]!, path[i]!)).not.toThrow();
    }
  });

  it('refuses illegal packet transitions with ILLEGAL_TRANSITION', () => {
    for (const [from, to] of [
      ['unpaid', 'exhausted'],
      ['active', 'unpaid'],
      ['exhausted', 'refunding'],
      ['refunded', 'active'],
      ['closed', 'active'],
      ['active', 'refunded'],
    ] as const) {
      let error: unknown;
      try {
        assertTransition('packet', PACKET_TRANSITIONS, from, to);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RedpktError);
      expect((error as RedpktError).code).toBe('ILLEGAL_TRANSITION');
    }
  });

  it('has exactly the final packet states exhausted, refunded and closed', () => {
    expect(PACKET_STATUSES.filter((s) => isFinal(PACKET_TRANSITIONS, s)).sort()).toEqual([
      'closed',
      'exhausted',
      'refunded',
    ]);
  });

  it('lets a failed transfer be retried but never un-transfers a claim', () => {
    expect(canTransition(CLAIM_TRANSITIONS, 'failed', 'transferring')).toBe(true);
    expect(canTransition(CLAIM_TRANSITIONS, 'transferred', 'transferring')).toBe(false);
    expect(canTransition(CLAIM_TRANSITIONS, 'claimed', 'transferred')).toBe(false);
  });

  it('never moves a paid payment or a succeeded refund again', () => {
    expect(isFinal(PAYMENT_TRANSITIONS, 'paid')).toBe(true);
    expect(canTransition(PAYMENT_TRANSITIONS, 'closed', 'paid')).toBe(false);
    expect(isFinal(REFUND_TRANSITIONS, 'succeeded')).toBe(true);
  });
});
