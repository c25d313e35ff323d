/**
 * Issue 18 item 9: a signed finance write is accepted once inside its signature's window, also
 * by another process on the same finance database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinance } from '../../src/finance/create-finance.js';
import type { Finance } from '../../src/finance/create-finance.js';
import { createReplayGuard } from '../../src/finance/replay-guard.js';
import { signRequest } from '../../src/finance/signature.js';
import type { FinanceStoreConfig } from '../../src/finance/store/types.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import { JWT_SECRET, SIGN_SECRET } from './support/finance-harness.js';

const mysql = await mysqlAvailable();

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

  // SQLite is written by one process (no --cores N without --mysql): its guard is that process's
  it.skipIf(!mysql)(
    'refuses a replay to another finance on the same MariaDB database (serve --cores N)',
    async () => {
      const db = await createTestMysql('replay');
      const store: FinanceStoreConfig = { kind: 'mysql', url: db.url };
      const open = () =>
        createFinance({ store, jwtSecret: JWT_SECRET, signSecret: SIGN_SECRET, log: () => {} });
      const [one, two] = [await open(), await open()];
      try {
        const path = '/finance/admin/knobs';
        const body = JSON.stringify({ latencyMs: 3 });
        const captured = signRequest(SIGN_SECRET, { method: 'PUT', path, body });
        const put = (f: Finance) =>
          f.app.request(path, {
            method: 'PUT',
            body,
            headers: { 'content-type': 'application/json', ...captured },
          });
        expect((await put(one)).status).toBe(200);
        expect((await put(two)).status).toBe(401);
        expect(two.knobs.get().latencyMs).toBe(0);
        // the table, as any MariaDB store sees it
        expect(
          await two.store.acceptSignature(captured['x-finance-signature']!.toLowerCase(), Date.now()),
        ).toBe(false);
      } finally {
        await one.close();
        await two.close();
        await db.drop();
      }
    },
  );

  it('keeps a signature until its window ends, then forgets it', async () => {
    const store = finance.store;
    expect(await store.acceptSignature('ab01', 10_000)).toBe(true);
    expect(await store.acceptSignature('ab01', 10_000)).toBe(false);
    expect(await store.acceptSignature('cd02', 20_000)).toBe(true);
    expect(await store.forgetSignatures(15_000)).toBeGreaterThanOrEqual(1);
    expect(await store.acceptSignature('ab01', 10_000)).toBe(true); // forgotten (it could no longer verify)
    expect(await store.acceptSignature('cd02', 20_000)).toBe(false);
    // the guard sweeps before it records, and compares signatures case-blind (hex)
    const guard = createReplayGuard(store, 1_000, 0);
    expect(await guard.firstUse('EF03', 30_000, 30_000)).toBe(true);
    expect(await guard.firstUse('ef03', 30_000, 30_500)).toBe(false);
  });
});
