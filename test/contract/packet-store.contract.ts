/**
 * The PacketStore contract: one suite, run against every adapter (STYLE rule 9). An adapter's
 * test file passes a factory; the suite opens one store, migrates it, and runs every behaviour.
 * Tests share the store, so each one works on its own senders, packets and uids.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { claimSharesContract } from './claim-shares.contract.js';
import { claimSharesManyContract } from './claim-shares-many.contract.js';
import type { StoreFactory, StoreHarness } from './contract-fixtures.js';
import { createPacketContract } from './create-packet.contract.js';
import { markPaidContract } from './mark-paid.contract.js';
import { readsContract } from './reads.contract.js';
import { expiryContract } from './expiry.contract.js';
import { leasesContract } from './leases.contract.js';
import { settleContract } from './settle.contract.js';
import { settleBatchesContract } from './settle-batches.contract.js';
import { sweepStoreContract } from './sweep-store.contract.js';
import { subsidyBalanceContract } from './subsidy-balance.contract.js';
import { subsidyBookingContract } from './subsidy-booking.contract.js';

export type { StoreFactory, StoreHarness } from './contract-fixtures.js';

export function packetStoreContract(adapter: string, factory: StoreFactory): void {
  describe(`PacketStore contract (${adapter})`, () => {
    let harness: StoreHarness | undefined;
    const h = (): StoreHarness => {
      if (!harness) throw new Error('the store was not opened');
      return harness;
    };

    beforeAll(async () => {
      harness = await factory();
      await harness.store.migrate();
    });

    afterAll(async () => {
      await harness?.cleanup();
    });

    describe('migrate and reads', () => readsContract(h));
    describe('createC2cPacket', () => createPacketContract(h));
    describe('markPaid', () => markPaidContract(h));
    describe('claimShares', () => claimSharesContract(h));
    describe('claimSharesMany: one transaction for several packets (issue 6)', () =>
      claimSharesManyContract(h));
    // issue 4
    describe('task leases', () => leasesContract(h));
    describe('expiry under the packet lock', () => expiryContract(h));
    describe('transfers, refunds and closing payments', () => settleContract(h));
    describe("the worker's transfer batches", () => settleBatchesContract(h));
    describe('the sweeper scan and alerts', () => sweepStoreContract(h));
    describe('subsidies: booking and B2C send (issue 3)', () => subsidyBookingContract(h));
    describe('subsidies: balance, withdrawals, returns (issue 3)', () => subsidyBalanceContract(h));
  });
}
