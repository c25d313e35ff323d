/**
 * Issue 4: the SettlementStore half of the PacketStore port (task leases, transfers, expiry
 * refunds, closing unpaid payments, the sweeper's scan, alerts), written once over a StoreDialect.
 *
 * Lock order, as in the rest of the store: payment -> packet -> claim or refund -> task.
 */
import type { Claim } from '../../domain/claim.js';
import { CLAIM_TRANSITIONS } from '../../domain/claim.js';
import { RedpktError } from '../../domain/errors.js';
import type { PaymentOrder, RefundOrder } from '../../domain/order.js';
import { REFUND_TRANSITIONS, refundNoFor } from '../../domain/order.js';
import type { Packet } from '../../domain/packet.js';
import { PACKET_TRANSITIONS } from '../../domain/packet.js';
import { TASK_OF_ORDER } from '../../domain/ports.js';
import type { ExpireResult, SettlementStore, Settled } from '../../domain/ports.js';
import { assertTransition } from '../../domain/state-machine.js';
import { assertDistinctClaimNos, claimsUpdates } from './claim-batches.js';
import { stepsTowards } from './settlement-rules.js';
import type { StoreDialect, StoreTx } from './store-dialect.js';

const notFound = (what: string, ref: string): RedpktError =>
  new RedpktError('ORDER_NOT_FOUND', `no ${what} ${ref}`, { details: { ref } });

/** A guarded UPDATE missed although the row was locked: a locking bug, never a user error. */
const changedUnderLock = (what: string): RedpktError =>
  new RedpktError('INTERNAL', `${what} changed while locked; nothing was written`, { details: { what } });

async function expireInTx(tx: StoreTx, packetId: string, now: number): Promise<ExpireResult> {
  const packet = await tx.lockPacket(packetId);
  // B2C packets have no payment to refund: their remainder goes back to the campaign budget,
  // which issue 3 books; the expire task leaves them alone.
  if (!packet || packet.type !== 'c2c' || packet.status !== 'active' || packet.payOrderNo === null) {
    return { outcome: 'nothing', packet, refund: null };
  }
  if (now < packet.expiresAt) return { outcome: 'not_due', packet, refund: null };
  assertTransition(`packet ${packet.id}`, PACKET_TRANSITIONS, packet.status, 'expired');
  assertTransition(`packet ${packet.id}`, PACKET_TRANSITIONS, 'expired', 'refunding');
  // The packet keeps its remaining amount and count: the refund order records what went back.
  const refunding: Packet = { ...packet, status: 'refunding', updatedAt: now };
  const guard = { status: packet.status, remainingCount: packet.remainingCount };
  if (!(await tx.updatePacket(packet.id, guard, refunding))) throw changedUnderLock(`packet ${packet.id}`);
  const refund: RefundOrder = {
    refundNo: refundNoFor(packet.id),
    packetId: packet.id,
    payOrderNo: packet.payOrderNo,
    uid: packet.senderUid,
    amount: packet.remainingAmount,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  };
  await tx.insertRefund(refund);
  await tx.insertTasks([{ kind: 'refund', ref: refund.refundNo, dueAt: now, now }]);
  return { outcome: 'refunding', packet: refunding, refund };
}

async function advanceClaimInTx(
  tx: StoreTx,
  claimNo: string,
  to: Claim['status'],
  now: number,
): Promise<Settled<Claim>> {
  const claim = await tx.lockClaim(claimNo);
  if (!claim) throw notFound('claim', claimNo);
  let current = claim;
  for (const step of stepsTowards(CLAIM_TRANSITIONS, claim.status, to, 'transferring')) {
    if (!(await tx.updateClaimStatus(claimNo, current.status, step, now))) {
      throw changedUnderLock(`claim ${claimNo}`);
    }
    current = { ...current, status: step, updatedAt: now };
  }
  return { value: current, changed: current !== claim };
}

/**
 * `advanceClaimInTx` for many claims (numbers distinct): one locking read for all of them (in
 * claimNo order), then one guarded UPDATE per (guard, step) group; a group that updates fewer rows
 * than it has claims rolls the whole batch back.
 */
async function advanceClaimsInTx(
  tx: StoreTx,
  claimNos: readonly string[],
  to: Claim['status'],
  now: number,
): Promise<(Settled<Claim> | null)[]> {
  const walks = (await tx.lockClaims(claimNos)).map((claim) => ({
    claim,
    claimNo: claim.claimNo,
    from: claim.status,
    steps: stepsTowards(CLAIM_TRANSITIONS, claim.status, to, 'transferring'),
  }));
  for (const { guard, to: step, claimNos: group } of claimsUpdates(walks)) {
    if ((await tx.updateClaimsStatus(group, guard, step, now)) !== group.length) {
      throw changedUnderLock(`${group.length} claims ${guard} -> ${step} (from ${group[0]})`);
    }
  }
  const settled = new Map<string, Settled<Claim>>();
  for (const { claim, steps } of walks) {
    const last = steps.at(-1);
    settled.set(
      claim.claimNo,
      last === undefined
        ? { value: claim, changed: false }
        : { value: { ...claim, status: last, updatedAt: now }, changed: true },
    );
  }
  return claimNos.map((claimNo) => settled.get(claimNo) ?? null);
}

async function advanceRefundInTx(
  tx: StoreTx,
  refundNo: string,
  to: RefundOrder['status'],
  now: number,
  packetId: string,
): Promise<Settled<RefundOrder>> {
  const packet = await tx.lockPacket(packetId);
  const refund = await tx.lockRefund(refundNo);
  if (!refund) throw notFound('refund', refundNo);
  let current = refund;
  for (const step of stepsTowards(REFUND_TRANSITIONS, refund.status, to, 'pending')) {
    if (!(await tx.updateRefundStatus(refundNo, current.status, step, now))) {
      throw changedUnderLock(`refund ${refundNo}`);
    }
    current = { ...current, status: step, updatedAt: now };
  }
  if (current.status === 'succeeded' && current !== refund && packet?.status === 'refunding') {
    assertTransition(`packet ${packet.id}`, PACKET_TRANSITIONS, packet.status, 'refunded');
    const guard = { status: packet.status, remainingCount: packet.remainingCount };
    const refunded = { ...packet, status: 'refunded' as const, updatedAt: now };
    if (!(await tx.updatePacket(packet.id, guard, refunded))) throw changedUnderLock(`packet ${packet.id}`);
  }
  return { value: current, changed: current !== refund };
}

async function closePaymentInTx(
  tx: StoreTx,
  payOrderNo: string,
  now: number,
): Promise<Settled<PaymentOrder>> {
  const payment = await tx.lockPayment(payOrderNo);
  if (!payment) throw notFound('payment order', payOrderNo);
  if (payment.status !== 'pending') return { value: payment, changed: false };
  const packet = await tx.lockPacket(payment.packetId);
  const closed: PaymentOrder = { ...payment, status: 'closed', updatedAt: now };
  if (!(await tx.updatePayment(payOrderNo, 'pending', closed)))
    throw changedUnderLock(`payment ${payOrderNo}`);
  if (packet?.status === 'unpaid') {
    const guard = { status: packet.status, remainingCount: packet.remainingCount };
    if (!(await tx.updatePacket(packet.id, guard, { ...packet, status: 'closed', updatedAt: now }))) {
      throw changedUnderLock(`packet ${packet.id}`);
    }
  }
  return { value: closed, changed: true };
}

export function createSettlementStore(dialect: StoreDialect): SettlementStore {
  const { reads } = dialect;

  return {
    leaseTasks({ owner, now, leaseMs, limit, kinds }) {
      if (limit <= 0 || kinds?.length === 0) return Promise.resolve([]);
      return dialect.write(async (tx) => {
        const due = await tx.dueTasks({ now, limit, kinds });
        const leaseUntil = now + leaseMs;
        await tx.leaseTasks(
          due.map((t) => t.id),
          owner,
          leaseUntil,
          now,
        );
        return due.map((t) => ({
          ...t,
          attempts: t.attempts + 1,
          leaseOwner: owner,
          leaseUntil,
          updatedAt: now,
        }));
      });
    },

    completeTask: (taskId, owner, now) =>
      dialect.write((tx) => tx.endTask(taskId, owner, { status: 'done', now })),

    completeTasks: async (taskIds, owner, now) =>
      taskIds.length === 0 ? 0 : dialect.write((tx) => tx.completeTasks(taskIds, owner, now)),

    rescheduleTask: (taskId, owner, { dueAt, error, now }) =>
      dialect.write((tx) => tx.endTask(taskId, owner, { status: 'pending', dueAt, lastError: error, now })),

    killTask: (taskId, owner, error, now) =>
      dialect.write((tx) => tx.endTask(taskId, owner, { status: 'dead', lastError: error, now })),

    async ensureTask(input) {
      // Insert first, without a lock: a racing insert of the same (kind, ref) waits for ours and
      // fails on the unique key (a locking read of a missing row would take gap locks instead,
      // which racing inserts deadlock on).
      let changed = false;
      if (!(await reads.task(input.kind, input.ref))) {
        try {
          await dialect.write((tx) => tx.insertTasks([input]));
          changed = true;
        } catch (e) {
          if (!dialect.isUniqueViolation(e)) throw e;
        }
      }
      if (!changed) {
        changed = await dialect.write(async (tx) => {
          const existing = await tx.lockTask(input.kind, input.ref);
          if (existing?.status !== 'done') return false;
          await tx.reviveTask(existing.id, input.dueAt, input.now);
          return true;
        });
      }
      const task = await reads.task(input.kind, input.ref);
      if (!task) throw new RedpktError('INTERNAL', `task ${input.kind} ${input.ref} vanished`);
      return { task, changed };
    },

    getTask: (kind, ref) => reads.task(kind, ref),
    getClaimByNo: (claimNo) => reads.claimByNo(claimNo),

    getClaimsByNo: async (claimNos) => (claimNos.length === 0 ? [] : reads.claimsByNo(claimNos)),

    advanceClaim: (claimNo, to, now) => dialect.write((tx) => advanceClaimInTx(tx, claimNo, to, now)),

    async advanceClaims(claimNos, to, now) {
      assertDistinctClaimNos(claimNos);
      if (claimNos.length === 0) return [];
      return dialect.write((tx) => advanceClaimsInTx(tx, claimNos, to, now));
    },

    expirePacket: (packetId, now) => dialect.write((tx) => expireInTx(tx, packetId, now)),

    async advanceRefund(refundNo, to, now) {
      // The packet is locked before its refund (the lock order); its id comes from a plain read.
      const known = await reads.refundByNo(refundNo);
      if (!known) throw notFound('refund', refundNo);
      return dialect.write((tx) => advanceRefundInTx(tx, refundNo, to, now, known.packetId));
    },

    closePayment: (payOrderNo, now) => dialect.write((tx) => closePaymentInTx(tx, payOrderNo, now)),

    async listUnsettled(query) {
      const rows = await reads.unsettled(query);
      const tasks = await reads.tasksByRefs(
        TASK_OF_ORDER[query.kind],
        rows.map((r) => r.taskRef),
      );
      const byRef = new Map(tasks.map((t) => [t.ref, t]));
      return rows.map((r) => ({ kind: query.kind, ...r, task: byRef.get(r.taskRef) ?? null }));
    },

    async raiseAlert(alert) {
      try {
        await dialect.write((tx) => tx.insertAlert(alert));
        return true;
      } catch (e) {
        if (dialect.isUniqueViolation(e)) return false;
        throw e;
      }
    },

    listAlerts: () => reads.alerts(),
  };
}
