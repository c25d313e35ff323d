/**
 * The PacketStore port, implemented once over a StoreDialect, so that the SQLite and MySQL
 * adapters cannot drift apart in semantics: they differ only in how rows are read, locked and
 * written.
 */
import { RedpktError } from '../../domain/errors.js';
import { PAYMENT_TRANSITIONS } from '../../domain/order.js';
import type { Fen } from '../../domain/money.js';
import { PACKET_TRANSITIONS, type Packet } from '../../domain/packet.js';
import type { Claim } from '../../domain/claim.js';
import type {
  ClaimRequest,
  ClaimSharesResult,
  CreatePacketResult,
  MarkPaidResult,
  NewC2cPacket,
  PacketStore,
} from '../../domain/ports.js';
import type { RandomInt } from '../../domain/split.js';
import { assertTransition } from '../../domain/state-machine.js';
import { c2cPacketRows, sameC2cBody } from './c2c-packet-rows.js';
import { assertC2cFieldsFit, assertUidsFit } from './field-limits.js';
import { distinct, planClaims, type ClaimPlan } from './plan-claims.js';
import {
  claimTxOver,
  type ClaimLockRequest,
  type ClaimTx,
  type NewTask,
  type PacketWrite,
  type StoreDialect,
  type StoreReads,
  type StoreTx,
} from './store-dialect.js';
import { createSettlementStore } from './settlement-store.js';
import { createSubsidyOps } from './subsidy-store.js';

export function createPacketStore(dialect: StoreDialect): PacketStore {
  const { reads } = dialect;

  /** The answer to a repeated create: the stored packet, or a conflict if the body differs. */
  async function replayCreate(
    source: Pick<StoreReads, 'payment'>,
    stored: Packet,
    input: NewC2cPacket,
  ): Promise<CreatePacketResult> {
    if (!sameC2cBody(stored, input)) {
      throw new RedpktError(
        'IDEMPOTENCY_CONFLICT',
        `order ${input.outOrderNo} of ${input.senderUid} already exists with a different body`,
        { details: { packetId: stored.id, outOrderNo: input.outOrderNo } },
      );
    }
    const payment = stored.payOrderNo === null ? null : await source.payment(stored.payOrderNo);
    if (!payment) {
      throw new RedpktError('INTERNAL', `packet ${stored.id} has no payment order`, {
        details: { packetId: stored.id },
      });
    }
    return { packet: stored, payment, created: false };
  }

  async function createInTx(tx: StoreTx, input: NewC2cPacket): Promise<CreatePacketResult> {
    const stored = await tx.packetByOrder(input.senderUid, input.outOrderNo);
    if (stored) return replayCreate({ payment: (no) => tx.lockPayment(no) }, stored, input);
    const rows = c2cPacketRows(input);
    await tx.insertPacket(rows.packet);
    await tx.insertPayment(rows.payment);
    await tx.insertTasks([rows.recheck]);
    return { packet: rows.packet, payment: rows.payment, created: true };
  }

  async function markPaidInTx(
    tx: StoreTx,
    payOrderNo: string,
    paidAmount: Fen,
    providerTxnId: string,
    now: number,
  ): Promise<MarkPaidResult> {
    const payment = await tx.lockPayment(payOrderNo);
    if (!payment) {
      throw new RedpktError('ORDER_NOT_FOUND', `no payment order ${payOrderNo}`, { details: { payOrderNo } });
    }
    if (payment.amount !== paidAmount) {
      throw new RedpktError(
        'IDEMPOTENCY_CONFLICT',
        `payment ${payOrderNo} is for ${payment.amount} fen, the provider reports ${paidAmount}`,
        { details: { payOrderNo, expected: payment.amount, paid: paidAmount } },
      );
    }
    const packet = await tx.lockPacket(payment.packetId);
    if (!packet) {
      throw new RedpktError('INTERNAL', `payment ${payOrderNo} belongs to a missing packet`, {
        details: { payOrderNo, packetId: payment.packetId },
      });
    }
    if (payment.status === 'paid') return { packet, payment, changed: false };
    assertTransition(`payment ${payOrderNo}`, PAYMENT_TRANSITIONS, payment.status, 'paid');
    assertTransition(`packet ${packet.id}`, PACKET_TRANSITIONS, packet.status, 'active');

    const paid = { ...payment, status: 'paid' as const, providerTxnId, updatedAt: now };
    const active = { ...packet, status: 'active' as const, updatedAt: now };
    const paymentChanged = await tx.updatePayment(payOrderNo, payment.status, paid);
    const packetChanged = await tx.updatePacket(
      packet.id,
      { status: packet.status, remainingCount: packet.remainingCount },
      active,
    );
    if (!paymentChanged || !packetChanged) throw changedUnderLock(packet.id);
    await tx.insertTasks([{ kind: 'expire', ref: packet.id, dueAt: packet.expiresAt, now }]);
    return { packet: active, payment: paid, changed: true };
  }

  function writeClaims<T>(work: (tx: ClaimTx) => Promise<T>): Promise<T> {
    return dialect.writeClaims ? dialect.writeClaims(work) : dialect.write((tx) => work(claimTxOver(tx)));
  }

  /** Decides every packet's claimers under the group's locks, then writes them all at once. */
  async function claimManyInTx(
    tx: ClaimTx,
    requests: readonly ClaimLockRequest[],
    now: number,
    random: RandomInt | undefined,
    onDecided: (() => void) | undefined,
  ): Promise<Map<string, ClaimPlan>> {
    const locked = await tx.lockForClaims(requests);
    const plans = new Map<string, ClaimPlan>();
    const writes: PacketWrite[] = [];
    const claims: Claim[] = [];
    for (const { packetId, uids } of requests) {
      const { packet, existing } = locked.get(packetId) ?? { packet: null, existing: [] };
      const plan = planClaims(packet, existing, uids, now, random);
      plans.set(packetId, plan);
      const after = plan.packetAfter;
      if (plan.newClaims.length === 0 || !packet || !after) continue;
      if (after.status !== packet.status) {
        assertTransition(`packet ${packet.id}`, PACKET_TRANSITIONS, packet.status, after.status);
      }
      writes.push({
        packetId: packet.id,
        guard: { status: packet.status, remainingCount: packet.remainingCount },
        change: after,
      });
      claims.push(...plan.newClaims);
    }
    if (writes.length > 0) {
      const transfers: NewTask[] = claims.map((c) => ({ kind: 'transfer', ref: c.claimNo, dueAt: now, now }));
      if (!(await tx.applyClaims(writes, claims, transfers))) {
        throw changedUnderLock(writes.map((w) => w.packetId).join(','));
      }
    }
    onDecided?.();
    return plans;
  }

  async function claimSharesMany(
    requests: readonly ClaimRequest[],
    now: number,
    random: RandomInt | undefined,
    onDecided?: () => void,
  ): Promise<ClaimSharesResult[]> {
    // a packet asked for twice is claimed once, for the union of its uids (first asked first)
    const union = new Map<string, string[]>();
    for (const { packetId, uids } of requests) union.set(packetId, [...(union.get(packetId) ?? []), ...uids]);
    const groups = [...union].map(([packetId, uids]) => ({ packetId, uids: distinct(uids) }));
    for (const g of groups) assertUidsFit(g.uids);
    const asked = groups.filter((g) => g.uids.length > 0);
    const plans =
      asked.length === 0
        ? new Map<string, ClaimPlan>()
        : await writeClaims((tx) => claimManyInTx(tx, asked, now, random, onDecided));
    return Promise.all(
      requests.map(async ({ packetId, uids }) => {
        const plan = plans.get(packetId);
        // nobody asked for this packet: it is answered as it is, read without a lock
        if (!plan) return { outcomes: [], packet: await reads.packet(packetId) };
        const byUid = new Map(plan.outcomes.map((o) => [o.uid, o]));
        return {
          outcomes: distinct(uids).flatMap((uid) => byUid.get(uid) ?? []),
          packet: plan.packetAfter,
        };
      }),
    );
  }

  return {
    ...createSettlementStore(dialect), // issue 4
    ...createSubsidyOps(dialect), // issue 3
    migrate: () => dialect.migrate(),
    // a primary-key lookup of an id no packet has: the table is there and the database answers
    ping: async () => void (await reads.packet('')),
    close: () => dialect.close(),

    async createC2cPacket(input) {
      assertC2cFieldsFit(input);
      try {
        return await dialect.write((tx) => createInTx(tx, input));
      } catch (e) {
        if (!dialect.isUniqueViolation(e)) throw e;
        // Another writer (another process, or a racing MySQL transaction) inserted first.
        const stored = await reads.packetByOrder(input.senderUid, input.outOrderNo);
        if (!stored) {
          throw new RedpktError(
            'IDEMPOTENCY_CONFLICT',
            'the packet id or payment order number is already in use',
            {
              cause: e,
              details: { packetId: input.id, payOrderNo: input.payOrderNo },
            },
          );
        }
        return replayCreate(reads, stored, input);
      }
    },

    getPacket: (packetId) => reads.packet(packetId),
    getPayment: (payOrderNo) => reads.payment(payOrderNo),

    markPaid(payOrderNo, paidAmount, providerTxnId, now) {
      return dialect.write((tx) => markPaidInTx(tx, payOrderNo, paidAmount, providerTxnId, now));
    },

    async claimShares(packetId, uids, now, random) {
      const [result] = await claimSharesMany([{ packetId, uids }], now, random);
      if (!result) throw new Error('claimSharesMany answered no result');
      return result;
    },
    claimSharesMany,

    getClaim: (packetId, uid) => reads.claim(packetId, uid),
    listClaims: (packetId) => reads.claimsOfPacket(packetId),
    getRefund: (refundNo) => reads.refund(refundNo),
    listTasks: (filter) => reads.tasks(filter ?? {}),
  };
}

/** A guarded UPDATE missed although the row was locked: a locking bug, never a user error. */
function changedUnderLock(packetId: string): RedpktError {
  return new RedpktError('INTERNAL', `packet ${packetId} changed while locked; nothing was written`, {
    details: { packetId },
  });
}
