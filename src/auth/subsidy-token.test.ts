import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SubsidyGrant } from '../domain/subsidy.js';
import { openSubsidyToken, sealSubsidyToken, subsidyTokenKey } from './subsidy-token.js';

const key = subsidyTokenKey('test-secret-0123456789abcdef');
const grant: SubsidyGrant = {
  tokenId: 'S0000000001ABCDEFGHJK',
  outGrantNo: 'G0000000001ABCDEFGHJK',
  uid: 'alice',
  amount: 888,
  campaign: 'spring-2026',
  expiresAt: Date.UTC(2026, 1, 12),
  issuedAt: Date.UTC(2026, 1, 11, 20),
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('subsidy tokens', () => {
  it('open to exactly the grant they were sealed with, and never read as plain text', () => {
    const token = sealSubsidyToken(key, grant);
    expect(openSubsidyToken(key, token)).toStrictEqual(grant);
    expect(token).toMatch(/^st1\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(400);
    const decoded = Buffer.from(token.slice(4), 'base64url').toString('latin1');
    for (const visible of ['alice', 'spring-2026', grant.tokenId]) expect(decoded).not.toContain(visible);
  });

  it('seal the same grant differently each time (a fresh IV), both opening to it', () => {
    const a = sealSubsidyToken(key, grant);
    const b = sealSubsidyToken(key, grant);
    expect(a).not.toBe(b);
    expect(openSubsidyToken(key, a)).toStrictEqual(openSubsidyToken(key, b));
  });

  it('refuse every single flipped byte, a truncation, another key and garbage as SUBSIDY_INVALID', () => {
    const token = sealSubsidyToken(key, grant);
    const raw = Buffer.from(token.slice(4), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(codeOf(() => openSubsidyToken(key, `st1.${bad.toString('base64url')}`))).toBe('SUBSIDY_INVALID');
    }
    const cases = [
      token.slice(0, -4),
      token.replace('st1.', 'st2.'),
      '',
      'st1.',
      'st1.!!!!',
      `st1.${'A'.repeat(2000)}`,
    ];
    for (const bad of cases) expect(codeOf(() => openSubsidyToken(key, bad))).toBe('SUBSIDY_INVALID');
    const otherKey = subsidyTokenKey('another-secret-0123456789abcdef');
    expect(codeOf(() => openSubsidyToken(otherKey, token))).toBe('SUBSIDY_INVALID');
  });

  it("never open in the other lane: a shadow token is refused by the real lane's key and the reverse", () => {
    const secret = 'test-secret-0123456789abcdef';
    const real = subsidyTokenKey(secret, 'real');
    const shadow = subsidyTokenKey(secret, 'shadow');
    expect(real.equals(shadow)).toBe(false);
    const shadowToken = sealSubsidyToken(shadow, grant);
    const realToken = sealSubsidyToken(real, grant);
    expect(openSubsidyToken(shadow, shadowToken)).toStrictEqual(grant);
    expect(openSubsidyToken(real, realToken)).toStrictEqual(grant);
    expect(codeOf(() => openSubsidyToken(real, shadowToken))).toBe('SUBSIDY_INVALID');
    expect(codeOf(() => openSubsidyToken(shadow, realToken))).toBe('SUBSIDY_INVALID');
  });

  it("keep the real lane's key as it always was, so tokens already issued stay valid", () => {
    const secret = 'test-secret-0123456789abcdef';
    const original = createHmac('sha256', secret).update('redpkt-subsidy-token').digest();
    expect(subsidyTokenKey(secret, 'real').equals(original)).toBe(true);
    expect(subsidyTokenKey(secret).equals(original)).toBe(true);
  });
});
