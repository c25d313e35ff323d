import { describe, expect, it } from 'vitest';
import type { ListedClaim, PacketRecord } from '../../src/scenarios/money-check.js';
import { checkPacket, createMoneyCheck } from '../../src/scenarios/money-check.js';

type Record_ = Omit<PacketRecord, 'list'> & {
  list?: { status: string; totalAmount: number; claims: ListedClaim[] };
};

/** A clean, exhausted 3-share packet of 100 fen claimed by a, b, c; d came too late. */
function good(): Record_ {
  return {
    packetId: 'P1',
    amount: 100,
    shares: 3,
    claimers: ['a', 'b', 'c', 'd'],
    answered: [
      { uid: 'a', amount: 50, claimNo: 'C1' },
      { uid: 'b', amount: 30, claimNo: 'C2' },
      { uid: 'c', amount: 20, claimNo: 'C3' },
    ],
    refused: ['d'],
    list: {
      status: 'exhausted',
      totalAmount: 100,
      claims: [
        { uid: 'a', amount: 50 },
        { uid: 'b', amount: 30 },
        { uid: 'c', amount: 20 },
      ],
    },
  };
}

const kinds = (r: Record_) => checkPacket(r).map((m) => m.kind);

describe('the money check', () => {
  it('passes a packet whose claims add up to its amount', () => {
    expect(checkPacket(good())).toEqual([]);
  });

  it('passes claims plus the refund adding up, and an open packet that still has 1 fen a remaining share', () => {
    const r = good();
    r.list = { status: 'active', totalAmount: 100, claims: r.list!.claims.slice(0, 2) };
    r.answered = r.answered.slice(0, 2);
    r.refused = [];
    r.claimers = ['a', 'b'];
    expect(checkPacket(r)).toEqual([]);
    expect(checkPacket({ ...r, refund: 20 })).toEqual([]);
  });

  it('detects a claimer told one amount while the server booked another', () => {
    const r = good();
    r.answered = [{ uid: 'a', amount: 51, claimNo: 'C1' }, ...r.answered.slice(1)];
    expect(kinds(r)).toEqual(['claimer-amount']);
  });

  it('detects money created or lost: claims not summing to the amount', () => {
    const r = good();
    r.list!.claims[2] = { uid: 'c', amount: 21 };
    r.answered = r.answered.map((a) => (a.uid === 'c' ? { ...a, amount: 21 } : a));
    expect(kinds(r)).toEqual(['sum']);
    const refunded = { ...good(), refund: 1 };
    expect(kinds(refunded)).toEqual(['sum']);
  });

  it('detects a uid listed twice, a refused claimer who was booked anyway, and a stranger in the list', () => {
    const r = good();
    r.list!.claims.push({ uid: 'a', amount: 1 }, { uid: 'd', amount: 1 }, { uid: 'zed', amount: 1 });
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'duplicate-uid',
        'refused-but-listed',
        'unexpected-claim',
        'too-many-claims',
        'sum',
      ]),
    );
  });

  it('detects an answer missing from the list, conflicting answers, a wrong total and a share below 1 fen', () => {
    const r = good();
    r.list!.claims = [
      { uid: 'a', amount: 50 },
      { uid: 'b', amount: 50 },
      { uid: 'c', amount: 0 },
    ];
    r.list!.totalAmount = 101;
    r.answered = [
      ...r.answered,
      { uid: 'a', amount: 49, claimNo: 'C9' },
      { uid: 'x', amount: 5, claimNo: 'C8' },
    ];
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'answer-conflict',
        'total-amount',
        'share-below-1-fen',
        'missing-claim',
        'claimer-amount',
      ]),
    );
  });

  it('counts every packet, checks the ones with a list, and keeps a bounded list of mismatches', () => {
    const money = createMoneyCheck(2);
    for (let i = 0; i < 5; i++) {
      money.touch(`P${i}`);
      const r = good();
      r.packetId = `P${i}`;
      if (i === 4) delete r.list;
      else if (i > 0) r.list!.claims[0] = { uid: 'a', amount: 49 };
      money.check(r);
    }
    const s = money.summary();
    expect(s.packets).toBe(5);
    expect(s.checked).toBe(4);
    // P1..P3 each have two mismatches (claimer-amount, sum): 2 kept, then a truncation line.
    expect(s.mismatches).toHaveLength(3);
    expect(s.mismatches[2]).toEqual({ packetId: '*', kind: 'truncated', detail: '4 more' });
  });
});
