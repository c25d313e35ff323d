/** The whole finance contract on one backend: one store, one server, one receiver for all suites. */
import { afterAll, beforeAll, describe } from 'vitest';
import { callbacksContract } from './callbacks.contract.js';
import { closePayOrderContract } from './close-pay-order.contract.js';
import { httpEdgesContract } from './http-edges.contract.js';
import { knobsContract } from './knobs.contract.js';
import { paymentsContract } from './payments.contract.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { startFinanceHarness } from './support/finance-harness.js';
import { storeContract } from './store.contract.js';
import { transferBatchesHttpContract } from './transfer-batches-http.contract.js';
import { transferBatchesContract } from './transfer-batches.contract.js';
import { transfersAndRefundsContract } from './transfers-refunds.contract.js';

export function financeContract(backend: Backend) {
  describe(`finance on ${backend}`, () => {
    let h: FinanceHarness | undefined;
    const get = () => {
      if (!h) throw new Error('the finance harness did not start');
      return h;
    };
    beforeAll(async () => {
      h = await startFinanceHarness(backend);
    });
    afterAll(async () => {
      await h?.stop();
    });

    storeContract(get);
    paymentsContract(get);
    transfersAndRefundsContract(get);
    knobsContract(get);
    callbacksContract(backend, get);
    httpEdgesContract(get);
    closePayOrderContract(get); // issue 4
    transferBatchesContract(backend, get);
    transferBatchesHttpContract(get);
  });
}
