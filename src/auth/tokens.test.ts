import { createHmac } from 'node:crypto';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from './tokens.js';

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
    expect(await verifyToken(SECRET, await sign({ sub: 'bob', exp }, SECRET, 'HS256'))).toBe('bob');
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
