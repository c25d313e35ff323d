/**
 * Issue 4 crash test: a real `redpkt serve` (the built binary, embedded SQLite, finance inside the
 * same process with its pending callbacks in memory) is SIGKILLed at random moments during a mixed
 * C2C run, several times. After a restart and a settle period every order is final, the money adds
 * up per packet, finance's ledger agrees with our books, and no claimer was paid twice.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { createFinanceAdminClient } from '../../src/finance/admin-client.js';
import { createFinanceClient } from '../../src/finance/client.js';
import { createSeededRandom, type Random } from '../../src/finance/random.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { createStore } from '../../src/storage/create-store.js';
import { allLedger, creditsByOrder } from './support/ledger.js';
import { BIN, startServe, type ServeProcess } from '../support/serve-process.js';
import { booksOf, claimedSum, isSettled, type PacketBooks } from './support/settled.js';
import { waitFor } from './support/settlement-harness.js';

const SECRET = 'crash-test-secret-0123456789abcdef';
const ROUNDS = 4;
const ENV = { ...process.env, REDPKT_MYSQL: undefined, REDPKT_REDIS: undefined, REDPKT_SECRET: undefined };
const TIMINGS = [
  ['--poll-ms', '25'],
  ['--lease-ms', '800'],
  ['--retry-base-ms', '50'],
  ['--retry-max-ms', '400'],
  ['--recheck-after-ms', '300'],
  ['--payment-timeout-ms', '2500'],
  ['--sweep-every-ms', '300'],
  ['--sweep-after-ms', '1000'],
].flat();

/** A request's own deadline: a busy machine answers slowly, a killed server never (issue 18). */
const REQUEST_MS = 10_000;
/** How long the last round waits for a claim, and the restarted serve for every order to settle. */
const UNTIL_MS = 120_000;

const tokens = new Map<string, string>();
async function post(
  url: string,
  path: string,
  uid: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  let token = tokens.get(uid);
  if (!token) tokens.set(uid, (token = await issueToken(SECRET, uid)));
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(REQUEST_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** Claims answered 200 so far, over every round: the last kill waits for one (a busy machine is slow). */
let claimed = 0;

const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** One lane of the mixed run: create (and mostly pay) packets, and claim from the known ones. */
async function lane(
  url: string,
  known: string[],
  random: Random,
  killed: () => boolean,
  lane: number,
): Promise<void> {
  let n = 0;
  while (!killed()) {
    try {
      if (known.length === 0 || random() < 0.3) {
        const sender = `sender${lane}`;
        const count = int(random, 1, 6);
        const created = await post(url, '/v1/c2c/packets', sender, {
          outOrderNo: `crash-${lane}-${Date.now()}-${++n}`,
          totalAmount: int(random, count, 1500),
          totalCount: count,
          // half expire at once (refunds to check), half live long enough for a busy machine to
          // pay and claim them (claims to check): a load of 14 took longer than 2 s to do both
          expiresInSec: random() < 0.5 ? int(random, 1, 2) : int(random, 20, 30),
        });
        const { packetId, payOrderNo } = created.body as { packetId?: string; payOrderNo?: string };
        if (!packetId || !payOrderNo) continue;
        known.push(packetId);
        if (random() < 0.85) await post(url, `/finance/cashier/${payOrderNo}/pay`, sender);
      } else {
        const packetId = known[int(random, 0, known.length - 1)]!;
        const r = await post(url, `/v1/packets/${packetId}/claims`, `claimer${int(random, 0, 14)}`);
        if (r.status === 200) claimed++;
      }
    } catch {
      // the server was killed under us (the loop ends), or was slow to answer (the lane goes on)
    }
  }
}

async function allPacketIds(file: string): Promise<string[]> {
  const client = createClient({ url: pathToFileURL(file).href, timeout: 5000 });
  try {
    return (await client.execute('SELECT id FROM packets')).rows.map((r) => String(r['id']));
  } finally {
    client.close();
  }
}

describe.skipIf(!existsSync(BIN))('a serve killed with SIGKILL mid-run (needs `npm run build`)', () => {
  let dir = '';
  let store: PacketStore | undefined;
  let final: ServeProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-crash-'));
  });
  afterAll(async () => {
    await final?.stop();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'leaves every order final, the money adding up, and finance agreeing after restarts',
    { timeout: 400_000 },
    async () => {
      const args = ['--port', '0', '--data-dir', dir, '--secret', SECRET, ...TIMINGS];
      const random = createSeededRandom(Date.now() & 0xffff);
      const known: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const serve = await startServe(args, ENV);
        const killAt = Date.now() + int(random, 500, 1500);
        // the lanes run until the kill ends them (their next request fails)
        let killed = false;
        const lanes = [0, 1, 2, 3].map((i) => lane(serve.url, known, random, () => killed, i));
        await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
        // the money checks below need claims to check: the last round goes on until there are
        for (const deadline = Date.now() + UNTIL_MS; round === ROUNDS - 1 && claimed === 0;) {
          if (Date.now() > deadline) throw new Error(`no claim succeeded in ${UNTIL_MS} ms of rounds`);
          await new Promise((r) => setTimeout(r, 50));
        }
        killed = true;
        await serve.kill();
        await Promise.all(lanes);
      }

      final = await startServe(args, ENV);
      store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
      const ids = await allPacketIds(join(dir, 'redpkt.db'));
      expect(ids.length).toBeGreaterThanOrEqual(known.length);
      const books: PacketBooks[] = await waitFor(
        'every order to settle',
        async () => {
          const all = await Promise.all(ids.map((id) => booksOf(store!, id)));
          return all.every(isSettled) ? all : undefined;
        },
        UNTIL_MS,
      );

      const finance = createFinanceClient({ baseUrl: final.url, secret: financeSignSecret(SECRET) });
      const admin = createFinanceAdminClient({ baseUrl: final.url, secret: financeSignSecret(SECRET) });
      try {
        const ledger = await allLedger(finance);
        const transfers = creditsByOrder(ledger, 'transfer');
        const refunds = creditsByOrder(ledger, 'refund');
        let claims = 0;
        for (const b of books) {
          const payment = b.packet.payOrderNo ? await finance.queryOrder(b.packet.payOrderNo) : null;
          if (b.packet.status === 'closed') {
            expect([b.claims, b.refund]).toStrictEqual([[], null]);
            expect(payment?.status ?? 'never opened').not.toBe('succeeded');
            continue;
          }
          expect(payment).toMatchObject({ status: 'succeeded', amount: b.packet.totalAmount });
          expect(claimedSum(b) + (b.refund?.amount ?? 0)).toBe(b.packet.totalAmount);
          expect(new Set(b.claims.map((c) => c.uid)).size).toBe(b.claims.length);
          for (const c of b.claims) {
            expect(transfers.get(c.claimNo)).toStrictEqual([c.amount]); // paid once, the right amount
            expect(
              ledger.filter((e) => e.orderNo === c.claimNo && e.direction === 'credit')[0]?.account,
            ).toBe(`user:${c.uid}`);
          }
          if (b.refund) expect(refunds.get(b.refund.refundNo)).toStrictEqual([b.refund.amount]);
          claims += b.claims.length;
        }
        expect(claims).toBeGreaterThan(0);
        expect(books.some((b) => b.refund !== null)).toBe(true);
        // finance moved no transfer or refund that our books do not know
        expect(transfers.size).toBe(claims);
        expect(refunds.size).toBe(books.filter((b) => b.refund).length);
        const check = await admin.books();
        expect([check.ledgerTotal, check.balanceTotal, check.mismatched]).toStrictEqual([0, 0, []]);
      } finally {
        await finance.close();
        await admin.close();
      }
    },
  );
});
