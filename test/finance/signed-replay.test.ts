/** Issue 18 item 9: a signed finance write is accepted once inside its signature's window. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinance } from '../../src/finance/create-finance.js';
import type { Finance } from '../../src/finance/create-finance.js';
import { createReplayGuard } from '../../src/finance/replay-guard.js';
import { signRequest } from '../../src/finance/signature.js';
import { JWT_SECRET, SIGN_SECRET } from './support/finance-harness.js';

describe('signed finance calls against replay', () => {
  let dir: string;
  let finance: Finance;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-finance-replay-'));
    finance = await createFinance({
      store: { kind: 'sqlite', file: join(dir, 'finance.db') },
      jwtSecret: JWT_SECRET,
      signSecret: SIGN_SECRET,
      log: () => {},
    });
  });
  afterAll(async () => {
    await finance?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const put = (headers: Record<string, string>, body: string) =>
    finance.app.request('/finance/admin/knobs', {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('refuses a replayed PUT /finance/admin/knobs and applies it once', async () => {
    const path = '/finance/admin/knobs';
    const first = JSON.stringify({ latencyMs: 7 });
    const captured = signRequest(SIGN_SECRET, { method: 'PUT', path, body: first });
    expect((await put(captured, first)).status).toBe(200);
    // the operator sets it back; the attacker replays the captured call inside its 5-minute window
    const reset = JSON.stringify({ latencyMs: 0 });
    expect((await put(signRequest(SIGN_SECRET, { method: 'PUT', path, body: reset }), reset)).status).toBe(
      200,
    );
    const replayed = await put(captured, first);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
    expect(finance.knobs.get().latencyMs).toBe(0);
  });

  it('takes two identical writes signed apart (a fresh nonce each), and repeats reads freely', async () => {
    const path = '/finance/admin/knobs';
    const body = JSON.stringify({ latencyMs: 0 });
    const now = Date.now();
    expect((await put(signRequest(SIGN_SECRET, { method: 'PUT', path, body }, now), body)).status).toBe(200);
    expect((await put(signRequest(SIGN_SECRET, { method: 'PUT', path, body }, now), body)).status).toBe(200);
    const read = signRequest(SIGN_SECRET, { method: 'GET', path, body: '' });
    for (let i = 0; i < 2; i++) expect((await finance.app.request(path, { headers: read })).status).toBe(200);
  });

  it('forgets a signature once it can no longer verify', () => {
    const guard = createReplayGuard(1000);
    expect(guard.firstUse('ab', 10_000, 10_000)).toBe(true);
    expect(guard.firstUse('AB', 10_000, 10_500)).toBe(false);
    expect(guard.firstUse('cd', 20_000, 20_000)).toBe(true);
    expect(guard.size).toBe(1);
  });
});
