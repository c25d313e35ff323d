import { describe, expect, it } from 'vitest';
import { cryptoBytes } from './crypto-bytes.js';

describe('cryptoBytes', () => {
  it('hands out every byte once, across blocks, and never changes bytes already handed out', () => {
    const first = cryptoBytes(10);
    const kept = Uint8Array.from(first);
    const seen = new Set<string>();
    // 2,000 ids of 10 bytes: several 4 KiB blocks
    for (let i = 0; i < 2_000; i++) {
      const b = cryptoBytes(10);
      expect(b).toHaveLength(10);
      seen.add(Buffer.from(b).toString('hex'));
    }
    expect(seen.size).toBe(2_000);
    expect(first).toStrictEqual(kept);
  });

  it('serves a large ask straight from the generator', () => {
    expect(cryptoBytes(5_000)).toHaveLength(5_000);
  });
});
