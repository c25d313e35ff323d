import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest name for a typo, a swap or a missing letter', () => {
    expect(didYouMean('lst', ['list'])).toBe('list');
    expect(didYouMean('stauts', ['status', 'audit'])).toBe('status');
    expect(didYouMean('clam', ['c2c-send', 'claim', 'query-details'])).toBe('claim');
  });

  it('suggests nothing for a word that is not close to any', () => {
    expect(didYouMean('payment', ['claim', 'c2c-send'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
