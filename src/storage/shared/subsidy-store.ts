/**
 * Issue 3: the SubsidyStore half of the PacketStore port, written once over a StoreDialect (the
 * SQLite and MySQL adapters only supply rows, locks and transactions).
 */
import { RedpktError } from '../../domain/errors.js';
import type { BookingResult, NewB2cPacket, SubsidyStore } from '../../domain/ports.js';
import type { SealedGrant } from '../../domain/subsidy.js';
import { startReturnInTx, settleReturnInTx } from './b2c-return.js';
import { FIELD_LIMITS } from './field-limits.js';
import type { StoreDialect, StoreTx } from './store-dialect.js';
import { bookInTx, createB2cInTx, replayB2c } from './subsidy-booking.js';
import { createWithdrawalInTx, creditInTx, settleWithdrawalInTx } from './subsidy-balance.js';

/** How often a write that lost a unique-key race is run again (it then takes the replay path). */
const UNIQUE_RACE_RETRIES = 2;

export function assertKeysFit(fields: Record<string, string>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value.length === 0 || [...value].length > FIELD_LIMITS.key) {
      throw new RedpktError('VALIDATION_FAILED', `${field} must be 1 to ${FIELD_LIMITS.key} characters`, {
        details: { fields: [field] },
      });
    }
  }
}

/** A B2C send's keys and greeting within the column limits (VALIDATION_FAILED otherwise). */
export function assertB2cFieldsFit(input: NewB2cPacket): void {
  const { grant } = input;
  assertKeysFit({ id: input.id, senderUid: input.senderUid, outOrderNo: input.outOrderNo });
  assertKeysFit({ tokenId: grant.tokenId, outGrantNo: grant.outGrantNo, campaign: grant.campaign });
  if ([...input.greeting].length > FIELD_LIMITS.greeting) {
    throw new RedpktError(
      'VALIDATION_FAILED',
      `greeting must be at most ${FIELD_LIMITS.greeting} characters`,
      {
        details: { fields: ['greeting'] },
      },
    );
  }
}

/** A batch of grants checked against the column limits, then split as distinctGrants does. */
export function checkedDistinctGrants(grants: readonly SealedGrant[]): ReturnType<typeof distinctGrants> {
  for (const g of grants)
    assertKeysFit({ tokenId: g.tokenId, outGrantNo: g.outGrantNo, uid: g.uid, campaign: g.campaign });
  return distinctGrants(grants);
}

/**
 * Splits a batch into grants to book and repeats: a second grant with an outGrantNo or token id
 * already in the batch gets the first one's outcome when it is the same grant, `conflict` otherwise.
 */
export function distinctGrants(grants: readonly SealedGrant[]): {
  unique: SealedGrant[];
  answer: (results: BookingResult[]) => BookingResult[];
} {
  const byGrant = new Map<string, SealedGrant>();
  const byToken = new Set<string>();
  const unique: SealedGrant[] = [];
  for (const g of grants) {
    if (byGrant.has(g.outGrantNo) || byToken.has(g.tokenId)) continue;
    byGrant.set(g.outGrantNo, g);
    byToken.add(g.tokenId);
    unique.push(g);
  }
  return {
    unique,
    answer(results) {
      const outcome = new Map(results.map((r) => [r.outGrantNo, r]));
      return grants.map((g) => {
        const first = byGrant.get(g.outGrantNo);
        const base = { tokenId: g.tokenId, outGrantNo: g.outGrantNo };
        if (first === g) return outcome.get(g.outGrantNo) ?? { ...base, outcome: 'conflict' };
        const same = first?.tokenId === g.tokenId && first.uid === g.uid && first.amount === g.amount;
        return { ...base, outcome: same ? 'duplicate' : 'conflict' };
      });
    },
  };
}

export function createSubsidyOps(dialect: StoreDialect): SubsidyStore {
  const { reads } = dialect;

  /** Runs a write again when it lost a unique-key race to another writer (whose rows it then sees). */
  async function writeRacing<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await dialect.write(work);
      } catch (e) {
        if (attempt >= UNIQUE_RACE_RETRIES || !dialect.isUniqueViolation(e)) throw e;
      }
    }
  }

  return {
    async bookSubsidies(grants, now) {
      if (grants.length === 0) return [];
      const { unique, answer } = checkedDistinctGrants(grants);
      return answer(await writeRacing((tx) => bookInTx(tx, unique, now)));
    },

    async createB2cPacket(input) {
      assertB2cFieldsFit(input);
      // A replay needs no lock: answer it from committed rows first.
      const replay = await replayB2c(
        { packetByOrder: reads.packetByOrder, subsidyOfPacket: reads.subsidyOfPacket },
        input,
      );
      if (replay) return replay;
      return writeRacing((tx) => createB2cInTx(tx, input));
    },

    getSubsidy: (tokenId) => reads.subsidy(tokenId),
    listSubsidies: (uid) => reads.subsidiesOf(uid),
    countSubsidies: (campaign) => reads.subsidyTotals(campaign),

    creditSubsidyBalance: (claimNo, now) => writeRacing((tx) => creditInTx(tx, claimNo, now)),
    async getSubsidyBalance(uid) {
      return (await reads.subsidyBalance(uid)) ?? { uid, available: 0, held: 0, updatedAt: 0 };
    },
    createWithdrawal(input) {
      assertKeysFit({ withdrawalNo: input.withdrawalNo, uid: input.uid, outOrderNo: input.outOrderNo });
      return writeRacing((tx) => createWithdrawalInTx(tx, input));
    },
    settleWithdrawal: (withdrawalNo, to, providerTxnId, now) =>
      dialect.write((tx) => settleWithdrawalInTx(tx, withdrawalNo, to, providerTxnId, now)),
    getWithdrawal: (withdrawalNo) => reads.withdrawal(withdrawalNo),
    listWithdrawals: (uid) => reads.withdrawalsOf(uid),

    startB2cReturn: (packetId, now) => dialect.write((tx) => startReturnInTx(tx, packetId, now)),
    settleB2cReturn: (packetId, now) => dialect.write((tx) => settleReturnInTx(tx, packetId, now)),
    getB2cReturn: (packetId) => reads.b2cReturn(packetId),
  };
}
