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

export interface Mismatch {
  packetId: string;
  kind:
    | 'total-amount'
    | 'duplicate-uid'
    | 'answer-conflict'
    | 'claimer-amount'
    | 'missing-claim'
    | 'refused-but-listed'
    | 'unexpected-claim'
    | 'share-below-1-fen'
    | 'too-many-claims'
    | 'sum'
    | 'truncated';
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

export interface MoneyCheck {
  touch(packetId: string): void;
  check(record: PacketRecord): Mismatch[];
  summary(): MoneySummary;
}

/** Counts every packet; keeps at most `keep` mismatches (then one `truncated` line says how many more). */
export function createMoneyCheck(keep = 1000): MoneyCheck {
  let packets = 0;
  let checked = 0;
  let dropped = 0;
  const mismatches: Mismatch[] = [];
  return {
    touch() {
      packets++;
    },
    check(record) {
      const found = checkPacket(record);
      if (record.list) checked++;
      for (const m of found) {
        if (mismatches.length < keep) mismatches.push(m);
        else dropped++;
      }
      return found;
    },
    summary() {
      const list =
        dropped > 0
          ? [...mismatches, { packetId: '*', kind: 'truncated' as const, detail: `${dropped} more` }]
          : [...mismatches];
      return { packets, checked, mismatches: list };
    },
  };
}
