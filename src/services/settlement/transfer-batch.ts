/**
 * Transfers in batches (DESIGN §6): the `transfer` tasks of one worker poll run together. One read
 * of their claims, one transaction marking the C2C ones `transferring`, one finance call per
 * MAX_TRANSFER_BATCH claims (`transferMany`), one transaction per final state reached. Each claim
 * ends exactly as `runTransferTask` would end it alone: the same steps, the same transfer number
 * (the claimNo) at finance, so a batch that dies half way is finished by the next run, batched or not.
 */
import { RedpktError } from '../../domain/errors.js';
import { chunks } from '../../domain/chunks.js';
import type { Claim } from '../../domain/claim.js';
import type { PacketType } from '../../domain/packet.js';
import { MAX_TRANSFER_BATCH, type TransferResult } from '../../domain/ports.js';
import type { SettlementDeps } from './settlement-deps.js';
import { DONE, dead, isPermanent, outcomeOf, retry, type TaskOutcome } from './task-outcome.js';
import { creditSubsidy, runTransferTask } from './transfer-claim.js';

export type TransferBatch = (claimNos: readonly string[]) => Promise<TaskOutcome[]>;

/** Packet types never change: at most this many are remembered between batches. */
const PACKET_TYPES_KEPT = 10_000;

/**
 * Claims settled one by one at once, at most: the fallback of a refused call and the B2C credits
 * (each a transaction, all behind the same merchant or issuer row at finance).
 */
const ONE_BY_ONE_AT_ONCE = 16;

/** `fn` over every item, at most `limit` at a time; answers in item order; never rejects. */
async function settleEach<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<TaskOutcome>,
): Promise<TaskOutcome[]> {
  const out: TaskOutcome[] = new Array<TaskOutcome>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!).catch(outcomeOf);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** The outcome of one claim from its item of finance's answer (as `settleTransfer` decides). */
type Settlement = { to: 'transferred' | 'failed'; outcome: TaskOutcome } | { outcome: TaskOutcome };

function settlementOf(claim: Claim, result: TransferResult): Settlement {
  if (result.error) return { outcome: outcomeOf(new RedpktError(result.error.code, result.error.message)) };
  // answers go by position; one that is not this claim's order moves nothing (asked again later)
  if (result.order.orderNo !== claim.claimNo)
    return { outcome: retry(`finance answered order ${result.order.orderNo} for transfer ${claim.claimNo}`) };
  switch (result.order.status) {
    case 'succeeded':
      return { to: 'transferred', outcome: DONE };
    case 'failed':
    case 'closed':
      return { to: 'failed', outcome: retry(`finance says the transfer ${result.order.status}`) };
    case 'pending':
      return { outcome: retry('finance has not settled the transfer yet') };
  }
}

export function createTransferBatch(deps: SettlementDeps): TransferBatch {
  const packetTypes = new Map<string, PacketType>();

  async function typesOf(claims: readonly Claim[]): Promise<Map<string, PacketType | null>> {
    const ids = [...new Set(claims.map((c) => c.packetId))];
    const types = new Map<string, PacketType | null>();
    await Promise.all(
      ids.map(async (id) => {
        let type = packetTypes.get(id) ?? null;
        if (!type) {
          type = (await deps.store.getPacket(id))?.type ?? null;
          if (type) {
            if (packetTypes.size >= PACKET_TYPES_KEPT) packetTypes.clear();
            packetTypes.set(id, type);
          }
        }
        types.set(id, type);
      }),
    );
    return types;
  }

  /**
   * One finance call for a chunk of claims already marked transferring. A whole call refused for
   * good (one malformed item fails the call's validation) is redone claim by claim, so one bad claim
   * cannot take the others down with it; a call that failed otherwise is retried as a whole.
   */
  async function payChunk(claims: readonly Claim[]): Promise<Map<string, Settlement>> {
    let results: TransferResult[];
    try {
      results = await deps.provider.transferMany({
        transfers: claims.map((c) => ({ transferNo: c.claimNo, uid: c.uid, amount: c.amount })),
        notifyUrl: deps.notifyUrl,
      });
      if (results.length !== claims.length)
        throw new RedpktError(
          'DEPENDENCY_FAILED',
          `finance answered ${results.length} of ${claims.length} transfers`,
        );
    } catch (e) {
      if (claims.length > 1 && isPermanent(e)) {
        const alone = await settleEach(claims, ONE_BY_ONE_AT_ONCE, (c) => runTransferTask(deps, c.claimNo));
        return new Map(claims.map((c, i) => [c.claimNo, { outcome: alone[i]! }]));
      }
      return new Map(claims.map((c) => [c.claimNo, { outcome: outcomeOf(e) }]));
    }
    return new Map(claims.map((c, i) => [c.claimNo, settlementOf(c, results[i]!)]));
  }

  /** C2C claims: transferring, finance, then each final state in one transaction. */
  async function transferC2c(claims: readonly Claim[], outcomes: Map<string, TaskOutcome>): Promise<void> {
    if (claims.length === 0) return;
    const marked = await deps.store.advanceClaims(
      claims.map((c) => c.claimNo),
      'transferring',
      deps.now(),
    );
    const toPay: Claim[] = [];
    claims.forEach((c, i) => {
      const m = marked[i];
      if (!m) outcomes.set(c.claimNo, dead(`no claim ${c.claimNo}`));
      else if (m.value.status === 'transferred') outcomes.set(c.claimNo, DONE);
      else toPay.push(c);
    });
    const settled = new Map<string, Settlement>();
    for (const part of await Promise.all(chunks(toPay, MAX_TRANSFER_BATCH).map(payChunk)))
      for (const [no, s] of part) settled.set(no, s);
    for (const to of ['transferred', 'failed'] as const) {
      const nos = [...settled].flatMap(([no, s]) => ('to' in s && s.to === to ? [no] : []));
      if (nos.length > 0) await deps.store.advanceClaims(nos, to, deps.now());
    }
    for (const [no, s] of settled) outcomes.set(no, s.outcome);
  }

  return async function transferBatch(claimNos) {
    const outcomes = new Map<string, TaskOutcome>();
    const claims = await deps.store.getClaimsByNo(claimNos);
    const types = await typesOf(claims);
    const c2c: Claim[] = [];
    const b2c: Claim[] = [];
    for (const claim of claims) {
      const type = types.get(claim.packetId);
      if (claim.status === 'transferred') outcomes.set(claim.claimNo, DONE);
      else if (!type)
        outcomes.set(
          claim.claimNo,
          dead(`claim ${claim.claimNo} belongs to a missing packet ${claim.packetId}`),
        );
      else (type === 'c2c' ? c2c : b2c).push(claim);
    }
    const [paid, credited] = await Promise.all([
      transferC2c(c2c, outcomes).then(
        () => undefined,
        (error: unknown) => ({ error }),
      ),
      settleEach(b2c, ONE_BY_ONE_AT_ONCE, (claim) => creditSubsidy(deps, claim)),
    ]);
    b2c.forEach((c, i) => outcomes.set(c.claimNo, credited[i]!));
    // a C2C step that threw (the store down): its claims are run again from where they stand
    if (paid) for (const c of c2c) outcomes.set(c.claimNo, outcomeOf(paid.error));
    return claimNos.map((no) => outcomes.get(no) ?? dead(`no claim ${no}`));
  };
}
