/**
 * Issue 8: the shadow lane kept apart. Stores set up by hand (embedded): the real packet store and
 * finance, and their shadow twins (shadowStoreConfig / shadowFinanceConfig). Shadow-marked numbers
 * in the real lane's books are reported under `shadow` (never an error); `--shadow` reconciles the
 * shadow lane's books instead, where the real-marked numbers are the ones put apart; the ledger
 * export with `x-redpkt-shadow: 1` over HTTP and the shadow finance database give the same report.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconCommand, reconListCommand } from '../../src/commands/recon.js';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { createFinance, type Finance } from '../../src/finance/create-finance.js';
import type { ReconReport } from '../../src/recon/run-recon.js';
import { listenHttp, type HttpListener } from '../../src/runtime/http-listener.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import {
  financeStoreConfig,
  packetStoreConfig,
  shadowFinanceConfig,
  shadowStoreConfig,
} from '../../src/runtime/storage-config.js';
import { createStore } from '../../src/storage/create-store.js';
import { c2cInput } from '../contract/contract-fixtures.js';
import { shanghaiDate } from './rain-flows.js';

const SECRET = 'recon-shadow-test-secret-0123456789';
const NOTIFY = 'http://127.0.0.1:9/nowhere';

describe('redpkt recon keeps the shadow lane apart (sqlite)', () => {
  let dir: string;
  let real: { store: PacketStore; finance: Finance };
  let shadow: { store: PacketStore; finance: Finance };
  let listener: HttpListener;
  let date: string;
  let packetId: string;
  let claimAmount: number;

  async function recon(extra: Record<string, unknown> = {}): Promise<{ code: number; report: ReconReport }> {
    let out = '';
    const code = await reconCommand(
      { date, json: true, dataDir: dir, mysql: [], ...extra },
      { write: (t) => (out += t), now: () => 1_000 },
    );
    return { code, report: JSON.parse(out) as ReconReport };
  }

  async function lane(name: 'real' | 'shadow') {
    const base = packetStoreConfig(dir, []);
    const store = await createStore(name === 'real' ? base : shadowStoreConfig(base));
    await store.migrate();
    const fin = financeStoreConfig(dir, []);
    const finance = await createFinance({
      store: name === 'real' ? fin : shadowFinanceConfig(fin),
      jwtSecret: SECRET,
      signSecret: financeSignSecret(SECRET),
      callbacks: { attempts: 1, timeoutMs: 200 },
      log: () => {},
    });
    return { store, finance };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-recon-shadow-'));
    real = await lane('real');
    shadow = await lane('shadow');
    const t0 = Date.now();
    date = shanghaiDate(t0);
    // the shadow lane: a paid packet (S00…, SPAY…) and one claim transferred (S00…-1)
    const input = c2cInput({
      id: newPacketId(0, t0, true),
      payOrderNo: newOrderNo('PAY', t0, true),
      senderUid: 'alice',
      totalAmount: 300,
      totalCount: 3,
      now: t0,
      expiresAt: t0 + 600_000,
    });
    packetId = input.id;
    await shadow.store.createC2cPacket(input);
    const fs = shadow.finance.service;
    await fs.createPayOrder({
      payOrderNo: input.payOrderNo,
      payerUid: 'alice',
      amount: 300,
      subject: 'shadow packet',
      notifyUrl: NOTIFY,
    });
    const paid = await fs.pay(input.payOrderNo, 'alice');
    await shadow.store.markPaid(input.payOrderNo, 300, paid.txnId ?? '', t0 + 1);
    const { outcomes } = await shadow.store.claimShares(packetId, ['bob'], t0 + 2);
    const claim = outcomes.flatMap((o) => (o.ok ? [o.claim] : []))[0]!;
    claimAmount = claim.amount;
    await fs.transfer({ transferNo: claim.claimNo, uid: 'bob', amount: claim.amount, notifyUrl: NOTIFY });
    await shadow.store.advanceClaim(claim.claimNo, 'transferred', t0 + 3);
    // a real-marked order in the shadow books: apart under --shadow
    await fs.transfer({ transferNo: newOrderNo('TRF', t0), uid: 'carol', amount: 41, notifyUrl: NOTIFY });

    // the real lane: the same shadow packet leaked into our real store, and a shadow-marked
    // withdrawal in the real ledger; both apart, never an error
    await real.store.createC2cPacket(input);
    await real.store.markPaid(input.payOrderNo, 300, 'TXN-LEAK', t0 + 1);
    await real.finance.service.transfer({
      transferNo: newOrderNo('WDR', t0, true),
      uid: 'dave',
      amount: 29,
      notifyUrl: NOTIFY,
    });

    // one HTTP front for both finances: the shadow one answers x-redpkt-shadow: 1 (as `serve` does)
    listener = await listenHttp(
      (req) =>
        req.headers.get('x-redpkt-shadow') === '1'
          ? shadow.finance.app.fetch(req)
          : real.finance.app.fetch(req),
      '127.0.0.1',
      0,
    );
  }, 30_000);

  afterAll(async () => {
    await listener?.close();
    for (const l of [real, shadow]) {
      await l?.finance.close();
      await l?.store.close();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('reports shadow-marked orders on both sides of the real lane under shadow, with fen, and exits 0', async () => {
    const { code, report } = await recon();
    expect(code).toBe(0);
    expect(report.lane).toBe('real');
    // our SPAY… payment (300) and the ledger's SWDR… transfer (29)
    expect(report.totals.shadow).toEqual({ count: 2, fen: 329 });
    expect(report.totals.matched).toEqual({ count: 0, fen: 0 });
    expect(report.c2c).toMatchObject({ packets: 1, shadowPackets: 1, paid: 0, violations: 0 });
    expect(report.discrepancyCount).toBe(0);
    expect(report.notes.join(' ')).toMatch(/2 shadow-marked \(load-test\) orders \(329 fen\)/);
    const overHttp = await recon({ finance: listener.url, secret: SECRET });
    expect(overHttp.report).toEqual(report);
  });

  it('reconciles the shadow lane with --shadow, the real-marked order apart, the same over HTTP and from the database', async () => {
    const fromDb = await recon({ shadow: true });
    expect(fromDb.code).toBe(0);
    expect(fromDb.report.lane).toBe('shadow');
    expect(fromDb.report.totals.matched).toEqual({ count: 2, fen: 300 + claimAmount });
    expect(fromDb.report.totals.shadow).toEqual({ count: 1, fen: 41 });
    expect(fromDb.report.c2c).toMatchObject({
      packets: 1,
      shadowPackets: 0,
      paid: 300,
      transferred: claimAmount,
      violations: 0,
    });
    const overHttp = await recon({ shadow: true, finance: listener.url, secret: SECRET });
    expect(overHttp.report).toEqual(fromDb.report);
  });

  it('finds a fault in the shadow lane like in the real one', async () => {
    const now = Date.now();
    const input = c2cInput({
      id: newPacketId(0, now, true),
      payOrderNo: newOrderNo('PAY', now, true),
      senderUid: 'erin',
      totalAmount: 77,
      totalCount: 1,
      now,
      expiresAt: now + 600_000,
    });
    await shadow.store.createC2cPacket(input);
    await shadow.store.markPaid(input.payOrderNo, 77, 'TXN-NEVER-AT-FINANCE', now);
    const { code, report } = await recon({ shadow: true });
    expect(code).toBe(1);
    expect(report.totals.missing_at_provider).toEqual({ count: 1, fen: 77 });
    expect(report.discrepancies[0]).toMatchObject({ orderNo: input.payOrderNo, ours: 77, theirs: null });
  });

  it('marks the reports of --shadow runs as shadow in recon list', async () => {
    let out = '';
    await reconListCommand(
      { dataDir: dir, mysql: [], json: true },
      { write: (t) => (out += t), now: () => 0 },
    );
    const lanes = (JSON.parse(out) as { windowKey: string; lane: string }[]).map((r) => r.lane).sort();
    expect(lanes).toEqual(['real', 'shadow']);
    let table = '';
    await reconListCommand({ dataDir: dir, mysql: [] }, { write: (t) => (table += t), now: () => 0 });
    expect(table).toMatch(/shadow/);
  });
});
