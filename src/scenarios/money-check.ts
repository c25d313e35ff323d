/**
 * The end-of-run money check, one packet at a time (so memory does not grow with the run):
 * what the claimers were told, what the server lists, and the refund must add up to the
 * packet's amount exactly, with no uid twice.
 */
export interface ClaimAnswer {
  uid: string;
  amount: number;
  claimNo: string;
}

export interface ListedClaim {
  uid: string;
  amount: number;
  claimNo?: string;
}

export interface PacketRecord {
  packetId: string;
  /** Who sent it: the claim list is read with the sender's token (`load merge --target`). */
  sender?: string;
  /** What the load run asked for. */
  amount: number;
  shares: number;
  /** Every uid that tried to claim. */
  claimers: readonly string[];
  /** 2xx answers, as the server gave them at claim time. */
  answered: readonly ClaimAnswer[];
  /** uids told no with an error code (not a lost response: those may or may not have claimed). */
  refused: readonly string[];
  /** The server's claim list, read after the claims; absent when it could not be read. */
  list?: { status: string; totalAmount: number; claims: readonly ListedClaim[] };
  /** Set once the packet reached `refunded`: the amount given back to the sender. */
  refund?: number;
}

export const MISMATCH_KINDS = [
  'total-amount',
  'duplicate-uid',
  'answer-conflict',
  'claimer-amount',
  'missing-claim',
  'refused-but-listed',
  'unexpected-claim',
  'share-below-1-fen',
  'too-many-claims',
  'sum',
  'duplicate-packet',
  'truncated',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export interface Mismatch {
  packetId: string;
  kind: MismatchKind;
  detail: string;
}

export function checkPacket(r: PacketRecord): Mismatch[] {
  const out: Mismatch[] = [];
  const bad = (kind: Mismatch['kind'], detail: string) => out.push({ packetId: r.packetId, kind, detail });

  const answers = new Map<string, ClaimAnswer>();
  for (const a of r.answered) {
    const prev = answers.get(a.uid);
    if (prev && (prev.amount !== a.amount || prev.claimNo !== a.claimNo)) {
      bad(
        'answer-conflict',
        `${a.uid} was answered ${prev.amount} fen (${prev.claimNo}) and ${a.amount} fen (${a.claimNo})`,
      );
    }
    answers.set(a.uid, a);
  }
  if (!r.list) return out;

  const list = r.list;
  if (list.totalAmount !== r.amount)
    bad('total-amount', `server says ${list.totalAmount} fen, we sent ${r.amount} fen`);
  const listed = new Map<string, ListedClaim>();
  for (const c of list.claims) {
    if (listed.has(c.uid)) bad('duplicate-uid', `${c.uid} is listed twice`);
    listed.set(c.uid, c);
    if (!Number.isSafeInteger(c.amount) || c.amount < 1)
      bad('share-below-1-fen', `${c.uid} got ${c.amount} fen`);
  }
  if (list.claims.length > r.shares)
    bad('too-many-claims', `${list.claims.length} claims for ${r.shares} shares`);

  for (const a of answers.values()) {
    const l = listed.get(a.uid);
    if (!l) bad('missing-claim', `${a.uid} was told ${a.amount} fen but is not listed`);
    else if (l.amount !== a.amount)
      bad('claimer-amount', `${a.uid} was told ${a.amount} fen, the list says ${l.amount} fen`);
  }
  const claimers = new Set(r.claimers);
  const refused = new Set(r.refused);
  for (const c of list.claims) {
    if (refused.has(c.uid) && !answers.has(c.uid))
      bad('refused-but-listed', `${c.uid} was refused but is listed`);
    else if (!claimers.has(c.uid))
      bad('unexpected-claim', `${c.uid} never claimed in this run but is listed`);
  }

  const sum = list.claims.reduce((s, c) => s + c.amount, 0);
  const left = r.shares - list.claims.length;
  if (r.refund !== undefined) {
    if (sum + r.refund !== r.amount) bad('sum', `claims ${sum} + refund ${r.refund} != ${r.amount} fen`);
  } else if (list.status === 'exhausted') {
    if (sum !== r.amount || left !== 0)
      bad(
        'sum',
        `exhausted with ${list.claims.length}/${r.shares} shares summing to ${sum} of ${r.amount} fen`,
      );
  } else if (sum + Math.max(left, 0) > r.amount) {
    // Still open (or refund pending): what is left must still give every remaining share 1 fen.
    bad('sum', `claims ${sum} fen leave ${r.amount - sum} fen for ${left} remaining shares`);
  }
  return out;
}

export interface MoneySummary {
  /** Packets the run created (touched). */
  packets: number;
  /** Packets whose claim list was read and checked. */
  checked: number;
  mismatches: Mismatch[];
}

/**
 * What a merge needs of one generator's money check, in a size that does not grow with the run:
 * the counts and fen sums of every checked packet, the mismatches it found, and a bounded sample
 * of packets with every answered claim (re-checked against the target by `load merge --target`).
 */
export interface MoneyFacts {
  packets: number;
  checked: number;
  /** Sum of the checked packets' amounts, fen. */
  sentFen: number;
  /** Claims in the checked packets' claim lists, and their fen. */
  listedClaims: number;
  listedFen: number;
  /** 2xx claim answers, and their fen. */
  answeredClaims: number;
  answeredFen: number;
  refundedFen: number;
  mismatches: Mismatch[];
  /** At most SAMPLE_SIZE checked packets, chosen evenly over the run (reservoir sampling). */
  sample: SampledPacket[];
}

export interface SampledPacket {
  packetId: string;
  sender: string;
  amount: number;
  shares: number;
  /** [uid, fen, claimNo] of every 2xx answer. */
  answered: [string, number, string][];
  refused: string[];
  claimers: string[];
  refund?: number;
}

export const SAMPLE_SIZE = 100;

export interface MoneyCheck {
  touch(packetId: string): void;
  check(record: PacketRecord): Mismatch[];
  summary(): MoneySummary;
  facts(): MoneyFacts;
}

/**
 * Counts every packet; keeps at most `keep` mismatches (then one `truncated` line says how many
 * more) and a sample of `SAMPLE_SIZE` packets, picked with `random` (seeded by the caller).
 */
export function createMoneyCheck(keep = 1000, random: () => number = Math.random): MoneyCheck {
  let packets = 0;
  let checked = 0;
  let dropped = 0;
  const sums = {
    sentFen: 0,
    listedClaims: 0,
    listedFen: 0,
    answeredClaims: 0,
    answeredFen: 0,
    refundedFen: 0,
  };
  const mismatches: Mismatch[] = [];
  const sample: SampledPacket[] = [];
  const list = () =>
    dropped > 0
      ? [...mismatches, { packetId: '*', kind: 'truncated' as const, detail: `${dropped} more` }]
      : [...mismatches];
  return {
    touch() {
      packets++;
    },
    check(record) {
      const found = checkPacket(record);
      if (record.list) {
        checked++;
        sums.sentFen += record.amount;
        sums.listedClaims += record.list.claims.length;
        for (const c of record.list.claims) sums.listedFen += c.amount;
        sums.answeredClaims += record.answered.length;
        for (const a of record.answered) sums.answeredFen += a.amount;
        sums.refundedFen += record.refund ?? 0;
        const slot = sample.length < SAMPLE_SIZE ? sample.length : Math.floor(random() * checked);
        if (slot < SAMPLE_SIZE) sample[slot] = sampled(record);
      }
      for (const m of found) {
        if (mismatches.length < keep) mismatches.push(m);
        else dropped++;
      }
      return found;
    },
    summary: () => ({ packets, checked, mismatches: list() }),
    facts: () => ({ packets, checked, ...sums, mismatches: list(), sample: [...sample] }),
  };
}

function sampled(r: PacketRecord): SampledPacket {
  return {
    packetId: r.packetId,
    sender: r.sender ?? '',
    amount: r.amount,
    shares: r.shares,
    answered: r.answered.map((a) => [a.uid, a.amount, a.claimNo]),
    refused: [...r.refused],
    claimers: [...r.claimers],
    ...(r.refund !== undefined ? { refund: r.refund } : {}),
  };
}

/** A sampled packet back as a record for `checkPacket`, with a claim list read again. */
export function recordOf(p: SampledPacket, list: PacketRecord['list']): PacketRecord {
  return {
    packetId: p.packetId,
    sender: p.sender,
    amount: p.amount,
    shares: p.shares,
    claimers: p.claimers,
    answered: p.answered.map(([uid, amount, claimNo]) => ({ uid, amount, claimNo })),
    refused: p.refused,
    ...(list ? { list } : {}),
    ...(p.refund !== undefined ? { refund: p.refund } : {}),
  };
}
