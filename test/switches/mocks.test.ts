import { describe, expect, it } from 'vitest';
import type { PaymentOrder } from '../../src/domain/order.js';
import type { PaymentProvider, ProviderOrder, SubsidyIssuer } from '../../src/domain/ports.js';
import { withIssuerMock } from '../../src/switches/mocks/mocking-issuer.js';
import { withPaymentMocks } from '../../src/switches/mocks/mocking-provider.js';
import { createPaymentMock } from '../../src/switches/mocks/payment-mock.js';
import type { MockedOrder } from '../../src/switches/ports.js';

function fakeStore() {
  const orders = new Map<string, MockedOrder>();
  let reads = 0;
  return {
    orders,
    reads: () => reads,
    async recordMocked(o: MockedOrder) {
      if (!orders.has(o.orderNo)) orders.set(o.orderNo, o);
      return orders.get(o.orderNo) as MockedOrder;
    },
    async getMocked(orderNo: string) {
      reads++;
      return orders.get(orderNo) ?? null;
    },
    async isPacketMocked(packetId: string) {
      reads++;
      return [...orders.values()].some((o) => o.packetId === packetId && o.kind === 'payment');
    },
  };
}

const payment = (no: string): PaymentOrder => ({
  payOrderNo: no,
  packetId: `P00${no}`,
  payerUid: 'payer',
  amount: 800,
  status: 'pending',
  providerTxnId: null,
  createdAt: 1,
  updatedAt: 1,
});

const switches = (on: Record<string, boolean>) => ({
  isOn: (kind: string, name: string) => on[`${kind}:${name}`] === true,
});

describe('mock payment', () => {
  it('costs no read at all while the switch is off', async () => {
    const store = fakeStore();
    const mock = createPaymentMock({ switches: switches({}), store, now: () => 5 });
    expect(await mock.payOrder(payment('A'), true)).toBeNull();
    expect(store.reads()).toBe(0);
  });

  it('mocks a fresh order while on, with a MOCK- txn id, and answers its replays the same', async () => {
    const store = fakeStore();
    const on = switches({ 'mock:payment': true });
    const mock = createPaymentMock({ switches: on, store, now: () => 5 });
    const answer = await mock.payOrder(payment('A'), true);
    expect(answer).toMatchObject({ orderNo: 'A', status: 'succeeded', txnId: 'MOCK-A', amount: 800 });
    expect(store.orders.get('A')).toMatchObject({ kind: 'payment', packetId: 'P00A' });
    // a replay (not fresh) after the switch went off is still mocked: finance never heard of it
    const off = createPaymentMock({ switches: switches({}), store, now: () => 6 });
    expect(await off.payOrder(payment('A'), false)).toMatchObject({ txnId: 'MOCK-A' });
  });

  it('never mocks an order finance may have seen (a replay of a real one)', async () => {
    const mock = createPaymentMock({
      switches: switches({ 'mock:payment': true }),
      store: fakeStore(),
      now: () => 5,
    });
    expect(await mock.payOrder(payment('B'), false)).toBeNull();
  });
});

describe('the provider with mocked packets kept away from finance', () => {
  const calls: string[] = [];
  const order = (orderNo: string, kind: ProviderOrder['kind']): ProviderOrder => ({
    orderNo,
    kind,
    uid: 'u',
    amount: 1,
    status: 'succeeded',
    txnId: `REAL-${orderNo}`,
    payOrderNo: null,
    createdAt: 1,
    updatedAt: 1,
  });
  const inner: PaymentProvider = {
    createPayOrder: async (i) => (
      calls.push(`pay ${i.payOrderNo}`),
      { order: order(i.payOrderNo, 'payment'), cashierUrl: 'x' }
    ),
    transfer: async (i) => (calls.push(`transfer ${i.transferNo}`), order(i.transferNo, 'transfer')),
    transferMany: async ({ transfers }) => (
      calls.push(`transferMany ${transfers.map((t) => t.transferNo).join(',')}`),
      transfers.map((t) => ({ order: order(t.transferNo, 'transfer') }))
    ),
    refund: async (i) => (calls.push(`refund ${i.refundNo}`), order(i.refundNo, 'refund')),
    queryOrder: async (no) => (calls.push(`query ${no}`), order(no, 'payment')),
    closePayOrder: async (no) => (calls.push(`close ${no}`), order(no, 'payment')),
  };

  it("answers a mocked packet's transfers, refund and queries itself, and passes every other order through", async () => {
    const store = fakeStore();
    await createPaymentMock({ switches: switches({ 'mock:payment': true }), store, now: () => 1 }).payOrder(
      payment('M'),
      true,
    );
    const provider = withPaymentMocks(inner, { store, now: () => 2 });
    expect(
      await provider.transfer({ transferNo: 'P00M-1', uid: 'c', amount: 10, notifyUrl: '' }),
    ).toMatchObject({
      status: 'succeeded',
      txnId: 'MOCK-P00M-1',
    });
    expect(
      await provider.refund({ refundNo: 'P00M-R', payOrderNo: 'M', amount: 5, notifyUrl: '' }),
    ).toMatchObject({
      kind: 'refund',
      txnId: 'MOCK-P00M-R',
      payOrderNo: 'M',
    });
    expect(await provider.queryOrder('M')).toMatchObject({ txnId: 'MOCK-M' });
    expect(await provider.closePayOrder('M')).toMatchObject({ status: 'succeeded' });
    expect(calls).toEqual([]);
    expect([...store.orders.values()].map((o) => o.kind)).toEqual(['payment', 'transfer', 'refund']);

    await provider.transfer({ transferNo: 'P00REAL-1', uid: 'c', amount: 10, notifyUrl: '' });
    await provider.refund({ refundNo: 'P00REAL-R', payOrderNo: 'REAL', amount: 5, notifyUrl: '' });
    await provider.queryOrder('REAL');
    expect(calls).toEqual(['transfer P00REAL-1', 'refund P00REAL-R', 'query REAL']);
  });

  it("answers a batch's mocked items itself and sends only the others to finance, answers in input order", async () => {
    calls.length = 0;
    const store = fakeStore();
    await createPaymentMock({ switches: switches({ 'mock:payment': true }), store, now: () => 1 }).payOrder(
      payment('M'),
      true,
    );
    const provider = withPaymentMocks(inner, { store, now: () => 2 });
    const nos = ['P00REAL-1', 'P00M-1', 'P00REAL-2', 'P00M-2'];
    const results = await provider.transferMany({
      transfers: nos.map((transferNo) => ({ transferNo, uid: 'c', amount: 10 })),
      notifyUrl: '',
    });
    expect(results.map((r) => [r.order?.orderNo, r.order?.txnId])).toEqual([
      ['P00REAL-1', 'REAL-P00REAL-1'],
      ['P00M-1', 'MOCK-P00M-1'],
      ['P00REAL-2', 'REAL-P00REAL-2'],
      ['P00M-2', 'MOCK-P00M-2'],
    ]);
    expect(calls).toEqual(['transferMany P00REAL-1,P00REAL-2']);
    expect([...store.orders.keys()].filter((k) => k.startsWith('P00M-'))).toEqual(['P00M-1', 'P00M-2']);

    calls.length = 0;
    await provider.transferMany({
      transfers: [{ transferNo: 'P00M-3', uid: 'c', amount: 1 }],
      notifyUrl: '',
    });
    expect(calls).toEqual([]);
  });
});

describe('mock issuer', () => {
  it('answers no tokens and holds returns back (retry later, nothing recorded) while on, and calls the issuer while off', async () => {
    const calls: string[] = [];
    const issuer: SubsidyIssuer = {
      listTokens: async (uid) => (calls.push(`list ${uid}`), []),
      returnRemainder: async (i) => void calls.push(`return ${i.returnNo}`),
    };
    const state = { on: true };
    const store = fakeStore();
    const mocked = withIssuerMock(issuer, {
      switches: { isOn: () => state.on },
      store,
      now: () => 1,
    });
    expect(await mocked.listTokens('u')).toEqual([]);
    // a real grant's remainder is never swallowed as mocked: the return fails as if the issuer were down
    await expect(
      mocked.returnRemainder({ returnNo: 'RET1', campaign: 'spring', amount: 50 }),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_FAILED' });
    expect(calls).toEqual([]);
    expect(store.orders.size).toBe(0);
    state.on = false;
    await mocked.listTokens('u');
    await mocked.returnRemainder({ returnNo: 'RET1', campaign: 'spring', amount: 50 });
    expect(calls).toEqual(['list u', 'return RET1']);
  });
});
