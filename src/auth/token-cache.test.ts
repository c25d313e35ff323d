import { createHmac } from 'node:crypto';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from './token-cache.js';
import { issueToken, readToken } from './tokens.js';

const SECRET = 'a-secret-of-enough-length';
const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

function counting() {
  const calls = { n: 0 };
  const read = (secret: string, token: string) => {
    calls.n++;
    return readToken(secret, token);
  };
  return { calls, read };
}

describe('createTokenVerifier: verified tokens remembered', () => {
  it('checks a token fully once, then answers from memory with the same uid', async () => {
    const { calls, read } = counting();
    const verify = createTokenVerifier(SECRET, { read });
    const token = await issueToken(SECRET, 'u7', 3600, NOW);
    for (let i = 0; i < 50; i++) expect(verify(token, NOW + i)).toBe('u7');
    expect(calls.n).toBe(1);
    expect(verify.size).toBe(1);
  });

  it('still expires a remembered token, and honours nbf on every use', async () => {
    const verify = createTokenVerifier(SECRET);
    const token = await issueToken(SECRET, 'u8', 60, NOW);
    expect(verify(token, NOW)).toBe('u8');
    expect(codeOf(() => verify(token, NOW + 60_000))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verify(token, NOW + 59_000))).toBeUndefined();

    const nbf = Math.floor(NOW / 1000) + 30;
    const later = await sign({ sub: 'u9', iat: nbf - 30, nbf, exp: nbf + 60 }, SECRET, 'HS256');
    expect(codeOf(() => verify(later, NOW))).toBe('UNAUTHENTICATED');
    expect(verify(later, NOW + 31_000)).toBe('u9');
    expect(codeOf(() => verify(later, NOW))).toBe('UNAUTHENTICATED'); // remembered, still not yet valid
  });

  it('checks times at its clock when a call gives none (issue 24: the simulation passes its own)', async () => {
    let clock = NOW;
    const verify = createTokenVerifier(SECRET, { now: () => clock });
    const token = await issueToken(SECRET, 'u10', 60, NOW);
    expect(verify(token)).toBe('u10');
    clock = NOW + 60_000;
    expect(codeOf(() => verify(token))).toBe('UNAUTHENTICATED');
    expect(verify(token, NOW + 1_000)).toBe('u10'); // a call's own time still wins
  });

  it('never answers a changed token from the memory of the right one, and remembers no failure', async () => {
    const { calls, read } = counting();
    const verify = createTokenVerifier(SECRET, { read });
    const good = await issueToken(SECRET, 'u1', 3600, NOW);
    expect(verify(good, NOW)).toBe('u1');
    const [h, p, s] = good.split('.') as [string, string, string];
    const admin = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9_999_999_999 })).toString('base64url');
    const hs512 = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
    const bad = [
      `${h}.${admin}.${s}`,
      `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`,
      `${h}.${p}.${s}x`,
      `${h}.${p}`,
      `${hs512}.${p}.${createHmac('sha256', SECRET).update(`${hs512}.${p}`).digest('base64url')}`,
      await issueToken('another-secret-entirely', 'u1', 3600, NOW),
    ];
    for (const token of bad) {
      expect(codeOf(() => verify(token, NOW))).toBe('UNAUTHENTICATED');
      expect(codeOf(() => verify(token, NOW))).toBe('UNAUTHENTICATED');
    }
    expect(verify.size).toBe(1);
    expect(calls.n).toBe(1 + bad.length * 2);
  });

  it('takes one spelling of a valid token only: padded or junk-laden signatures are refused, not remembered', async () => {
    const verify = createTokenVerifier(SECRET);
    const good = await issueToken(SECRET, 'u2', 3600, NOW);
    expect(verify(good, NOW)).toBe('u2');
    // each decodes to the same 32-byte MAC with Node's lenient base64url decoder
    const variants = [
      `${good}=`,
      `${good}==junk`,
      `${good}!!!!`,
      `${good}${'~'.repeat(4_000)}`,
      `${good}\u00e9`,
    ];
    for (const token of variants) {
      expect(Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url')).toStrictEqual(
        Buffer.from(good.slice(good.lastIndexOf('.') + 1), 'base64url'),
      );
      expect(codeOf(() => verify(token, NOW))).toBe('UNAUTHENTICATED');
    }
    expect(verify.size).toBe(1);
  });

  it('keeps at most max tokens, forgetting the older half, and checks a forgotten token again', async () => {
    const { calls, read } = counting();
    const verify = createTokenVerifier(SECRET, { max: 10, read });
    const tokens = await Promise.all(
      Array.from({ length: 25 }, (_, i) => issueToken(SECRET, `user${i}`, 3600, NOW)),
    );
    let most = 0;
    for (const [i, token] of tokens.entries()) {
      expect(verify(token, NOW)).toBe(`user${i}`);
      most = Math.max(most, verify.size);
    }
    expect(most).toBe(10);
    expect(calls.n).toBe(25);
    // the newest is remembered, the first long forgotten (checked again, and right again)
    expect(verify(tokens[24]!, NOW)).toBe('user24');
    expect(calls.n).toBe(25);
    expect(verify(tokens[0]!, NOW)).toBe('user0');
    expect(calls.n).toBe(26);
  });

  it('refuses a size that cannot hold a token', () => {
    expect(() => createTokenVerifier(SECRET, { max: 1 })).toThrow(/cache size/);
  });
});
