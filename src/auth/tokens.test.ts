import { createHmac } from 'node:crypto';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC, issueToken, verifyToken } from './tokens.js';

const SECRET = 'a-secret-of-enough-length';

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('bearer tokens', () => {
  it('verifies a token it issued and returns the uid', async () => {
    expect(await verifyToken(SECRET, await issueToken(SECRET, 'u42'))).toBe('u42');
  });

  it('interoperates with a standard HS256 JWT library both ways', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(await verifyToken(SECRET, await sign({ sub: 'bob', iat: exp - 60, exp }, SECRET, 'HS256'))).toBe(
      'bob',
    );
    const { verify } = await import('hono/jwt');
    expect((await verify(await issueToken(SECRET, 'carol'), SECRET, 'HS256')).sub).toBe('carol');
  });

  it('refuses tampered, foreign, expired, exp-less, alg-none and malformed tokens', async () => {
    const good = await issueToken(SECRET, 'u1');
    const [h, p, s] = good.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    // a header naming another algorithm, with a signature that is a valid HS256 MAC of it
    const hs512 = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
    const hs512Mac = createHmac('sha256', SECRET).update(`${hs512}.${p}`).digest('base64url');
    const cases = [
      `${h}.${otherPayload}.${s}`,
      await issueToken('another-secret-entirely', 'u1'),
      await issueToken(SECRET, 'u1', 1, Date.now() - 10_000),
      await sign({ sub: 'u1' }, SECRET, 'HS256'),
      `${noneHeader}.${p}.`,
      'not-a-token',
      `${h}.${p}`,
      `${good}.${s}`,
      `${h}..${s}`,
      '..',
      `${h}.!!!.${s}`,
      `${hs512}.${p}.${hs512Mac}`,
    ];
    for (const token of cases) expect(await code(verifyToken(SECRET, token))).toBe('UNAUTHENTICATED');
  });
});

describe('token times and lifetimes (issue 18 item 7)', () => {
  const forge = (claims: Record<string, unknown>) => sign(claims, SECRET, 'HS256');
  const nowSec = () => Math.floor(Date.now() / 1000);

  it('refuses a token issued a year ahead, one living a century, and one without iat', async () => {
    const now = nowSec();
    const year = 365 * 24 * 3600;
    const cases = [
      await forge({ sub: 'u1', iat: now + year, exp: now + year + 60 }),
      await forge({ sub: 'u1', iat: now, exp: now + 100 * year }),
      await forge({ sub: 'u1', exp: now + 60 }),
    ];
    for (const token of cases) expect(await code(verifyToken(SECRET, token))).toBe('UNAUTHENTICATED');
  });

  it('accepts a small clock skew and honours a configured maximum lifetime', async () => {
    const now = nowSec();
    expect(await verifyToken(SECRET, await forge({ sub: 'u1', iat: now + 30, exp: now + 3600 }))).toBe('u1');
    const week = await forge({ sub: 'u1', iat: now, exp: now + 7 * 24 * 3600 });
    expect(await verifyToken(SECRET, week)).toBe('u1');
    expect(await code(verifyToken(SECRET, week, Date.now(), { maxLifetimeSec: 24 * 3600 }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('mints only tokens the default policy accepts', async () => {
    expect(await verifyToken(SECRET, await issueToken(SECRET, 'u1', DEFAULT_MAX_TOKEN_LIFETIME_SEC))).toBe(
      'u1',
    );
    expect(await code(issueToken(SECRET, 'u1', DEFAULT_MAX_TOKEN_LIFETIME_SEC + 1))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
