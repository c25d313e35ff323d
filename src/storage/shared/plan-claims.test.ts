import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../domain/claim.js';
import type { Packet } from '../../domain/packet.js';
import { planClaims, refusal } from './plan-claims.js';

const NOW = 1_000_000;

function packet(overrides: Partial<Packet> = {}): Packet {
  return {
    id: 'P00TEST',
    type: 'c2c',
    senderUid: 's',
    outOrderNo: 'o',
    totalAmount: 1000,
    totalCount: 10,
    remainingAmount: 1000,
    remainingCount: 10,
    splitMode: 'random',
    status: 'active',
    greeting: '',
    payOrderNo: 'PAY1',
    expiresAt: NOW + 1000,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

describe('planClaims', () => {
  it('keeps every fen across any sequence of batches, with contiguous seqs and one claim per uid', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.integer({ min: count, max: 50_000 }),
              fc.constantFrom('random' as const, 'fixed' as const),
              fc.array(fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 12 }), { maxLength: 15 }),
            ),
          ),
        ([count, total, splitMode, batches]) => {
          let current: Packet | null = packet({
            totalAmount: total,
            totalCount: count,
            remainingAmount: total,
            remainingCount: count,
            splitMode,
          });
          const claims: Claim[] = [];
          for (const batch of batches) {
            const uids = batch.map((n) => `u${n}`);
            const plan = planClaims(current, claims, uids, NOW);
            expect(plan.outcomes.map((o) => o.uid)).toStrictEqual([...new Set(uids)]);
            claims.push(...plan.newClaims);
            current = plan.packetAfter;
          }
          const paid = claims.reduce((s, c) => s + c.amount, 0);
          expect(paid + (current?.remainingAmount ?? 0)).toBe(total);
          expect(claims.map((c) => c.seq)).toStrictEqual(claims.map((_, i) => i + 1));
          expect(new Set(claims.map((c) => c.uid)).size).toBe(claims.length);
          expect(claims.every((c) => c.amount >= 1)).toBe(true);
          expect(current?.remainingCount).toBe(count - claims.length);
          expect(current?.status).toBe(claims.length === count ? 'exhausted' : 'active');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns the same packet object when nobody new claims', () => {
    const p = packet({ status: 'unpaid' });
    const plan = planClaims(p, [], ['a', 'b'], NOW);
    expect(plan.packetAfter).toBe(p);
    expect(plan.newClaims).toStrictEqual([]);
  });
});

describe('refusal', () => {
  it.each([
    [packet({ status: 'unpaid' }), NOW, 'PACKET_NOT_ACTIVE'],
    [packet({ status: 'closed' }), NOW, 'PACKET_NOT_ACTIVE'],
    [packet({ status: 'exhausted', remainingAmount: 0, remainingCount: 0 }), NOW, 'PACKET_EXHAUSTED'],
    [packet({ remainingAmount: 0, remainingCount: 0 }), NOW + 5000, 'PACKET_EXHAUSTED'],
    [packet({ status: 'expired' }), NOW, 'PACKET_EXPIRED'],
    [packet({ status: 'refunding' }), NOW, 'PACKET_EXPIRED'],
    [packet({ status: 'refunded' }), NOW, 'PACKET_EXPIRED'],
    [packet(), NOW + 1000, 'PACKET_EXPIRED'],
    [packet(), NOW + 999, null],
    [null, NOW, 'PACKET_NOT_FOUND'],
  ] as const)('answers %#', (p, now, expected) => {
    expect(refusal(p, now)).toBe(expected);
  });
});
