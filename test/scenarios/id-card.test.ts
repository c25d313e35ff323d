import { describe, expect, it } from 'vitest';
import { idCardCheckChar, isValidIdCard, mockIdCard } from '../../src/fixtures/id-card.js';
import { createRng } from '../../src/fixtures/rng.js';

describe('PRC ID-card numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the GB 11643 examples', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(idCardCheckChar('44052418800101001')).toBe('4');
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('440524188001010014')).toBe(true);
  });

  it('rejects a wrong check character, an impossible date and a bad shape', () => {
    expect(isValidIdCard('110105194912310021')).toBe(false);
    expect(isValidIdCard('110105194902300029')).toBe(false);
    expect(isValidIdCard('11010519491231002x')).toBe(false);
    expect(isValidIdCard('1101051949123100')).toBe(false);
  });

  it('mocks 18-character numbers that are all valid, with every check character showing up', () => {
    const rng = createRng('id-cards');
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = mockIdCard(rng);
      expect(id).toMatch(/^\d{17}[\dX]$/);
      expect(isValidIdCard(id)).toBe(true);
      seen.add(id.slice(-1));
    }
    expect(seen.size).toBe(11);
  });
});
