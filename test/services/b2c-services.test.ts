/** Issue 3: the B2C use cases against a real embedded store, with the provider and issuer faked. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedpktError } from '../../src/domain/errors.js';
import type { PacketStore, PaymentProvider, ProviderOrder, SubsidyIssuer } from '../../src/domain/ports.js';
import type { SealedGrant } from '../../src/domain/subsidy.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { listSubsidies } from '../../src/services/subsidy/list-subsidies.js';
import { applyWithdrawalEvent, runWithdrawal, withdraw } from '../../src/services/subsidy/withdrawals.js';
import { createStore } from '../../src/storage/create-store.js';
import { grantOf, richUser } from '../contract/subsidy-fixtures.js';
import { NOW, unique } from '../contract/contract-fixtures.js';

type Answer = (input: { transferNo: string; uid: string; amount: number }) => Promise<ProviderOrder>;

const order = (
  transferNo: string,
  uid: string,
  amount: number,
  status: ProviderOrder['status'],
): ProviderOrder => ({
  orderNo: transferNo,
  kind: 'transfer',
  uid,
  amount,
  status,
  txnId: status === 'succeeded' ? `TXN-${transferNo}` : null,
  payOrderNo: null,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('B2C use cases', () => {
  let dir: string;
  let store: PacketStore;
  let answer: Answer;
  let issuer: SubsidyIssuer;
  let issuerEnabled = true;
  let deps: ServiceDeps;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-b2c-'));
    store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
    await store.migrate();
    const provider = {
      transfer: (input: Parameters<Answer>[0]) => answer(input),
      // finance refused the transfers it refuses here without storing them
      queryOrder: async () => null,
    } as unknown as PaymentProvider;
    issuer = { listTokens: async () => [], returnRemainder: async () => {} };
    deps = {
      store,
      provider,
      notifyUrl: 'http://127.0.0.1:1/v1/callbacks/finance',
      now: () => NOW + 60_000,
      subsidy: { tokenKey: Buffer.alloc(32), issuer, issuerEnabled: () => issuerEnabled },
    } as unknown as ServiceDeps;
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pays a withdrawal when finance settles the transfer at once', async () => {
    const uid = await richUser(deps, 500);
    answer = async (i) => order(i.transferNo, i.uid, i.amount, 'succeeded');
    const { withdrawal } = await withdraw(deps, { uid, outOrderNo: 'w1', amount: 200 });
    expect(withdrawal).toMatchObject({
      status: 'succeeded',
      providerTxnId: `TXN-${withdrawal.withdrawalNo}`,
    });
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 300, held: 0 });
  });

  it('leaves a withdrawal pending and held when finance is down, and its task finishes it later', async () => {
    const uid = await richUser(deps, 500);
    answer = async () => {
      throw new RedpktError('DEPENDENCY_FAILED', 'finance is down');
    };
    const { withdrawal } = await withdraw(deps, { uid, outOrderNo: 'w1', amount: 500 });
    expect(withdrawal.status).toBe('pending');
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 500 });

    answer = async (i) => order(i.transferNo, i.uid, i.amount, 'pending');
    expect((await runWithdrawal(deps, withdrawal.withdrawalNo)).status).toBe('pending');
    answer = async (i) => order(i.transferNo, i.uid, i.amount, 'succeeded');
    expect((await runWithdrawal(deps, withdrawal.withdrawalNo)).status).toBe('succeeded');
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 0 });
  });

  it('gives the held amount back when the transfer failed or finance refused it', async () => {
    for (const fail of [
      async (i: Parameters<Answer>[0]) => order(i.transferNo, i.uid, i.amount, 'failed'),
      async () => {
        throw new RedpktError('INSUFFICIENT_BALANCE', 'the merchant cannot pay');
      },
    ] satisfies Answer[]) {
      const uid = await richUser(deps, 300);
      answer = fail;
      const { withdrawal } = await withdraw(deps, { uid, outOrderNo: 'w', amount: 300 });
      expect(withdrawal.status).toBe('failed');
      expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 300, held: 0 });
    }
  });

  it('settles a withdrawal from finance callbacks once, and ignores transfers that are not withdrawals', async () => {
    const uid = await richUser(deps, 100);
    answer = async (i) => order(i.transferNo, i.uid, i.amount, 'pending');
    const { withdrawal } = await withdraw(deps, { uid, outOrderNo: 'w', amount: 100 });
    const event = order(withdrawal.withdrawalNo, uid, 100, 'succeeded');
    expect((await applyWithdrawalEvent(deps, event))?.status).toBe('succeeded');
    expect((await applyWithdrawalEvent(deps, { ...event, status: 'failed' }))?.status).toBe('succeeded');
    expect(await store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 0 });
    expect(await applyWithdrawalEvent(deps, order('P00SOMECLAIM-1', uid, 1, 'succeeded'))).toBeNull();
  });

  it('lists booked subsidies alone, marked partial, when the issuer fails or is switched off', async () => {
    const uid = unique('lister');
    const booked = grantOf({ uid, issuedAt: NOW - 10 });
    const issued: SealedGrant = grantOf({ uid, issuedAt: NOW });
    const foreign = grantOf({ uid: 'someone-else' });
    await store.bookSubsidies([booked], NOW);

    issuer.listTokens = async () => [issued, booked, foreign];
    const merged = await listSubsidies(deps, uid);
    expect(merged.partial).toBe(false);
    expect(merged.subsidies.map((s) => [s.tokenId, s.booked])).toStrictEqual([
      [issued.tokenId, false],
      [booked.tokenId, true],
    ]);

    issuer.listTokens = async () => {
      throw new RedpktError('DEPENDENCY_FAILED', 'issuer down');
    };
    const down = await listSubsidies(deps, uid);
    expect(down).toMatchObject({
      partial: true,
      subsidies: [{ tokenId: booked.tokenId, status: 'available' }],
    });

    let asked = false;
    issuer.listTokens = async () => {
      asked = true;
      return [issued];
    };
    issuerEnabled = false;
    const off = await listSubsidies(deps, uid);
    issuerEnabled = true;
    expect(asked).toBe(false);
    expect(off.partial).toBe(true);
    expect(off.subsidies.map((s) => s.tokenId)).toStrictEqual([booked.tokenId]);
  });
});
