/**
 * Issue 24: the real simulated finance (its service, store and ledger) as the packet service
 * reaches it in the simulation: a PaymentProvider whose calls pass the gates, with finance
 * errors, timeouts after commit and requests arriving twice; and a notifier whose signed callbacks
 * go through the simulated network (dropped, duplicated, delayed, reordered) into the current
 * process's HTTP app.
 */
import { RedpktError } from '../../src/domain/errors.js';
import type { PaymentProvider, ProviderOrder, SubsidyIssuer } from '../../src/domain/ports.js';
import type { RainService } from '../../src/finance/rain/rain-service.js';
import type { FinanceService } from '../../src/finance/service.js';
import type { Notifier } from '../../src/finance/notifier.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from '../../src/finance/signature.js';
import type { FinanceStore, StoredOrder } from '../../src/finance/store/types.js';
import { toProviderOrder } from '../../src/finance/wire.js';
import type { Faults } from './faults.js';
import type { Kernel, Life } from './kernel.js';

export interface Mutations {
  /** Mutant: a transfer retried is sent under a new transfer number (the bug idempotency keys prevent). */
  transferNewKey?: boolean;
  /**
   * Mutant: finance's answer read without its status guard: a payment order still pending (the
   * payer never paid) is taken as succeeded when the re-check asks, so the packet opens unfunded.
   */
  pendingAsPaid?: boolean;
  /** Mutant: a packet's expiry refunds it whatever its status (mutants.ts, unguardedExpiry). */
  refundUnguarded?: boolean;
  /** Mutant: a packet counts as mocked only while `mock payment` is on (mutants.ts, mockFollowsSwitch). */
  mockFollowsSwitch?: boolean;
}

interface CallSide {
  k: Kernel;
  faults: Faults;
  life: Life;
  /** Background work the world tracks (the second copy of a request sent twice). */
  spawn: (name: string, work: () => Promise<unknown>) => void;
}

/** One call from the packet service to finance: gated both ways, with finance's faults. */
async function financeCall<T>(side: CallSide, name: string, work: () => Promise<T>): Promise<T> {
  const { k, faults, life } = side;
  await k.gate(`finance.${name}`, life);
  if (faults.fire('finance_error')) {
    k.trace(`fault finance_error ${name}`);
    throw new RedpktError('DEPENDENCY_FAILED', `sim: finance ${name} answered 503`);
  }
  if (faults.fire('finance_twice')) {
    k.trace(`fault finance_twice ${name}`);
    side.spawn(`finance.${name}.copy`, async () => {
      await k.gate(`finance.${name}.copy`, null);
      await work().catch(() => {});
    });
  }
  const result = await work();
  await k.gate(`finance.${name}.answer`, life);
  if (faults.fire('finance_timeout_after_commit')) {
    k.trace(`fault finance_timeout_after_commit ${name}`);
    throw new RedpktError('DEPENDENCY_FAILED', `sim: finance ${name} timed out (after it committed)`);
  }
  return result;
}

/** The reward issuer (finance's rain service) as the packet service reaches it: the same faults. */
export function simIssuer(side: CallSide, rain: RainService): SubsidyIssuer {
  return {
    listTokens: (uid) => financeCall(side, 'listTokens', () => rain.listTokens(uid)),
    returnRemainder: (i) =>
      financeCall(side, 'returnRemainder', async () => {
        await rain.returnRemainder(i);
        side.k.trace(`issuer took back ${i.returnNo} ${i.amount}`);
      }),
  };
}

export function simProvider(input: {
  k: Kernel;
  faults: Faults;
  life: Life;
  service: FinanceService;
  store: FinanceStore;
  /** Background work the world tracks (the second copy of a request sent twice). */
  spawn: (name: string, work: () => Promise<unknown>) => void;
  mutations?: Mutations;
  /** Numbers seen by the mutants (shared by every process: the bug is in the code, not the memory). */
  seen: Map<string, number>;
}): PaymentProvider {
  const rekey = (no: string, on: boolean | undefined) => {
    const n = input.seen.get(no) ?? 0;
    input.seen.set(no, n + 1);
    return on && n > 0 ? `${no}x${n}` : no;
  };

  const call = <T>(name: string, work: () => Promise<T>) => financeCall(input, name, work);
  const view = (o: StoredOrder): ProviderOrder => toProviderOrder(o);

  return {
    createPayOrder: (i) =>
      call('createPayOrder', async () => ({
        order: view(await input.service.createPayOrder(i)),
        cashierUrl: `sim://cashier/${i.payOrderNo}`,
      })),
    transfer: (i) =>
      call('transfer', async () =>
        view(
          await input.service.transfer({
            ...i,
            transferNo: rekey(i.transferNo, input.mutations?.transferNewKey),
          }),
        ),
      ),
    transferMany: (i) =>
      call('transferMany', async () => {
        const transfers = i.transfers.map((t) => ({
          ...t,
          transferNo: rekey(t.transferNo, input.mutations?.transferNewKey),
        }));
        const results = await input.service.transferMany({ transfers, notifyUrl: i.notifyUrl });
        // a rekeyed answer names the order the caller asked for (the mutant hides its own bug)
        return results.map((r, n) =>
          'error' in r
            ? { error: { code: r.error.code, message: r.error.message } }
            : { order: { ...view(r.order), orderNo: i.transfers[n]!.transferNo } },
        );
      }),
    refund: (i) => call('refund', async () => view(await input.service.refund(i))),
    queryOrder: (no) =>
      call('queryOrder', async () => {
        const o = await input.store.getOrder(no);
        if (o && input.mutations?.pendingAsPaid && o.kind === 'payment' && o.status === 'pending')
          return { ...view(o), status: 'succeeded', txnId: `T-${no}` };
        return o ? view(o) : null;
      }),
    closePayOrder: (no) => call('closePayOrder', async () => view(await input.service.closePayOrder(no))),
  };
}

/** A callback on the simulated network. */
export interface InFlightCallback {
  id: number;
  orderNo: string;
  body: string;
  /** Not before this simulated instant (a delayed callback). */
  notBefore: number;
  attempt: number;
}

/** Finance's notifier in the simulation: callbacks go onto the simulated network. */
export function simNotifier(k: Kernel, faults: Faults, network: InFlightCallback[]): Notifier {
  let next = 0;
  let events = 0;
  return {
    notify(order) {
      events++;
      if (faults.fire('callback_drop')) {
        k.trace(`fault callback_drop ${order.orderNo}`);
        return;
      }
      const body = JSON.stringify({
        eventId: `${order.orderNo}:${order.status}:${order.txnId ?? ''}`,
        type: 'order.updated',
        order: toProviderOrder(order),
        sentAt: k.clock.now(),
      });
      const copies = faults.fire('callback_duplicate') ? 2 : 1;
      if (copies === 2) k.trace(`fault callback_duplicate ${order.orderNo}`);
      for (let i = 0; i < copies; i++) {
        const delay = faults.fire('callback_delay') ? 1 + k.int(120_000) : 0;
        if (delay > 0) k.trace(`fault callback_delay ${order.orderNo} ${delay}`);
        network.push({
          id: next++,
          orderNo: order.orderNo,
          body,
          notBefore: k.clock.now() + delay,
          attempt: 1,
        });
      }
      k.touch();
    },
    idle: () => Promise.resolve(),
    stats: () => ({ events, dropped: 0, delivered: 0, failedAttempts: 0, givenUp: 0 }),
    close: () => Promise.resolve(),
  };
}

/** The headers finance signs a callback with. */
export function callbackHeaders(secret: string, body: string, now: number): Record<string, string> {
  const ts = String(now);
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: ts,
    [SIGNATURE_HEADER]: signPayload(secret, body, ts),
  };
}
