/**
 * Transfers in batches: the batch runner over a real (embedded) packet store and a scripted
 * provider. Each claim must end as the one-claim path would end it; the provider sees one call.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/domain/claim.js';
import { RedpktError } from '../../src/domain/errors.js';
import type { PacketStore, PaymentProvider, ProviderOrder, TransferResult } from '../../src/domain/ports.js';
import { createTransferBatch } from '../../src/services/settlement/transfer-batch.js';
import type { SettlementDeps } from '../../src/services/settlement/settlement-deps.js';
import { createStore } from '../../src/storage/create-store.js';
import { activePacket, NOW, uids } from '../contract/contract-fixtures.js';

type Script = (t: { transferNo: string; uid: string; amount: number }) => TransferResult;

type Item = { transferNo: string; uid: string; amount: number } | Claim;

const order = (t: Item, status: ProviderOrder['status']) => {
  const no = 'claimNo' in t ? t.claimNo : t.transferNo;
  return {
    order: {
      orderNo: no,
      kind: 'transfer' as const,
      uid: t.uid,
      amount: t.amount,
      status,
      txnId: status === 'succeeded' ? `T-${no}` : null,
      payOrderNo: null,
      createdAt: NOW,
      updatedAt: NOW,
    },
  };
};

describe('transfers in batches', () => {
  let dir: string;
  let store: PacketStore;
  const calls: string[][] = [];
  let script: Script = (t) => order(t, 'succeeded');
  let refuseWholeCall: RedpktError | null = null;

  const provider: PaymentProvider = {
    async transferMany({ transfers }) {
      calls.push(transfers.map((t) => t.transferNo));
      if (refuseWholeCall && transfers.length > 1) throw refuseWholeCall;
      return transfers.map(script);
    },
    async transfer(input) {
      calls.push([`one ${input.transferNo}`]);
      const r = script(input);
      if (r.error) throw new RedpktError(r.error.code, r.error.message);
      return r.order;
    },
    createPayOrder: () => Promise.reject(new Error('not used')),
    refund: () => Promise.reject(new Error('not used')),
    queryOrder: () => Promise.reject(new Error('not used')),
    closePayOrder: () => Promise.reject(new Error('not used')),
  };

  const deps = (): SettlementDeps => ({
    store,
    provider,
    notifyUrl: 'http://127.0.0.1:1/v1/callbacks/finance',
    now: () => NOW + 1000,
    paymentTimeoutMs: 60_000,
    paymentRecheckDelayMs: 1_000,
    retryMaxMs: 100,
  });

  /** `n` fresh claims of one new packet. */
  async function claims(n: number): Promise<Claim[]> {
    const packet = await activePacket(store, { totalAmount: 100 * n, totalCount: n });
    const result = await store.claimShares(packet.id, uids(n), NOW);
    return result.outcomes.map((o) => {
      if (!o.ok) throw new Error(`not claimed: ${o.code}`);
      return o.claim;
    });
  }

  const statusOf = async (no: string) => (await store.getClaimByNo(no))?.status;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-transfer-batch-'));
    store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends each claim as its own finance answer says, with one finance call for all of them', async () => {
    const [ok, pending, failed, conflict, already, down] = await claims(6);
    await store.advanceClaim(already!.claimNo, 'transferred', NOW);
    const outcomeFor: Record<string, TransferResult> = {
      [ok!.claimNo]: order(ok!, 'succeeded'),
      [pending!.claimNo]: order(pending!, 'pending'),
      [failed!.claimNo]: order(failed!, 'failed'),
      [conflict!.claimNo]: { error: { code: 'IDEMPOTENCY_CONFLICT', message: 'amounts differ' } },
      [down!.claimNo]: { error: { code: 'DEPENDENCY_FAILED', message: 'ledger busy' } },
    };
    script = (t) => outcomeFor[t.transferNo]!;
    calls.length = 0;
    const nos = [ok, pending, failed, conflict, already, down].map((c) => c!.claimNo);

    const outcomes = await createTransferBatch(deps())([...nos, 'P00NOSUCHCLAIM-1']);

    expect(outcomes).toStrictEqual([
      { kind: 'done' },
      { kind: 'retry', reason: 'finance has not settled the transfer yet' },
      { kind: 'retry', reason: 'finance says the transfer failed' },
      { kind: 'dead', reason: 'IDEMPOTENCY_CONFLICT: amounts differ' },
      { kind: 'done' },
      { kind: 'retry', reason: 'DEPENDENCY_FAILED: ledger busy' },
      { kind: 'dead', reason: 'no claim P00NOSUCHCLAIM-1' },
    ]);
    // one call, without the claim that was already transferred
    expect(calls).toStrictEqual([[ok, pending, failed, conflict, down].map((c) => c!.claimNo)]);
    expect(await Promise.all(nos.map(statusOf))).toStrictEqual([
      'transferred',
      'transferring',
      'failed',
      'transferring',
      'transferred',
      'transferring',
    ]);
  });

  it("moves no claim on an answer that is another claim's order (answers go by position)", async () => {
    const [a, b] = await claims(2);
    // finance's items come back swapped: each claim would be settled on the other's order
    script = (t) =>
      order({ ...t, transferNo: t.transferNo === a!.claimNo ? b!.claimNo : a!.claimNo }, 'succeeded');
    const outcomes = await createTransferBatch(deps())([a!.claimNo, b!.claimNo]);
    expect(outcomes.map((o) => o.kind)).toStrictEqual(['retry', 'retry']);
    expect(await Promise.all([a!, b!].map((c) => statusOf(c.claimNo)))).toStrictEqual([
      'transferring',
      'transferring',
    ]);
    script = (t) => order(t, 'succeeded');
  });

  it('finishes a batch that died half way: transferring claims are paid again under the same numbers', async () => {
    const batch = await claims(3);
    const nos = batch.map((c) => c.claimNo);
    script = () => ({ error: { code: 'DEPENDENCY_FAILED', message: 'timeout' } });
    await createTransferBatch(deps())(nos);
    expect(await Promise.all(nos.map(statusOf))).toStrictEqual([
      'transferring',
      'transferring',
      'transferring',
    ]);

    script = (t) => order(t, 'succeeded');
    calls.length = 0;
    const outcomes = await createTransferBatch(deps())(nos);
    expect(outcomes.map((o) => o.kind)).toStrictEqual(['done', 'done', 'done']);
    expect(calls).toStrictEqual([nos]);
    expect(await Promise.all(nos.map(statusOf))).toStrictEqual(['transferred', 'transferred', 'transferred']);
  });

  it('redoes a call refused for good claim by claim, so one bad claim does not fail the others', async () => {
    const batch = await claims(3);
    const nos = batch.map((c) => c.claimNo);
    refuseWholeCall = new RedpktError('VALIDATION_FAILED', 'transfers.1.amount: too big');
    script = (t) =>
      t.transferNo === nos[1]
        ? { error: { code: 'VALIDATION_FAILED', message: 'amount too big' } }
        : order(t, 'succeeded');
    calls.length = 0;
    try {
      const outcomes = await createTransferBatch(deps())(nos);
      expect(outcomes).toMatchObject([
        { kind: 'done' },
        { kind: 'dead', reason: 'VALIDATION_FAILED: amount too big' },
        { kind: 'done' },
      ]);
    } finally {
      refuseWholeCall = null;
    }
    expect(calls[0]).toStrictEqual(nos);
    expect(calls.slice(1).flat().sort()).toStrictEqual(nos.map((no) => `one ${no}`).sort());
    expect(await Promise.all(nos.map(statusOf))).toStrictEqual([
      'transferred',
      'transferring',
      'transferred',
    ]);
  });

  it('retries every claim of a call that failed for now, and pays more claims than one call holds in several calls', async () => {
    const many = await claims(450);
    const nos = many.map((c) => c.claimNo);
    script = (t) => order(t, 'succeeded');
    calls.length = 0;
    const outcomes = await createTransferBatch(deps())(nos);
    expect(outcomes.every((o) => o.kind === 'done')).toBe(true);
    expect(calls.map((c) => c.length)).toStrictEqual([200, 200, 50]);
    expect(new Set(await Promise.all(nos.map(statusOf)))).toStrictEqual(new Set(['transferred']));

    const more = (await claims(2)).map((c) => c.claimNo);
    refuseWholeCall = new RedpktError('DEPENDENCY_FAILED', 'finance is down');
    try {
      const down = await createTransferBatch(deps())(more);
      expect(down).toStrictEqual([
        { kind: 'retry', reason: 'DEPENDENCY_FAILED: finance is down' },
        { kind: 'retry', reason: 'DEPENDENCY_FAILED: finance is down' },
      ]);
    } finally {
      refuseWholeCall = null;
    }
  });
});
