/**
 * Issue 24: what must hold, read straight from both books (the packet store's SQLite file and
 * finance's), never through the service. `checkStep` holds after every step, whatever the faults;
 * `checkQuiescent` once faults stopped and every task, callback and retry has run its course.
 */
import type { Client } from '@libsql/client';

export interface ClientSuccess {
  packetId: string;
  uid: string;
  claimNo: string;
  amount: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v);
const str = (v: unknown) => String(v);

async function rows(db: Client, sql: string, args: (string | number)[] = []): Promise<Row[]> {
  return (await db.execute({ sql, args })).rows as unknown as Row[];
}

interface Books {
  packets: Row[];
  claims: Map<string, Row>;
  refunds: Map<string, Row>;
  payments: Map<string, Row>;
  finOrders: Row[];
}

async function readBooks(packets: Client, finance: Client): Promise<Books> {
  const claims = await rows(packets, 'SELECT claim_no, packet_id, uid, amount, status FROM claims');
  const refunds = await rows(
    packets,
    'SELECT refund_no, packet_id, pay_order_no, amount, status FROM refund_orders',
  );
  const payments = await rows(packets, 'SELECT pay_order_no, packet_id, amount, status FROM payment_orders');
  return {
    packets: await rows(
      packets,
      `SELECT p.id, p.type, p.status, p.total_amount, p.total_count, p.remaining_amount, p.remaining_count,
              p.pay_order_no, COALESCE(SUM(c.amount), 0) AS claimed, COUNT(c.claim_no) AS n,
              MIN(c.amount) AS smallest, COUNT(DISTINCT c.uid) AS uids
         FROM packets p LEFT JOIN claims c ON c.packet_id = p.id GROUP BY p.id ORDER BY p.id`,
    ),
    claims: new Map(claims.map((r) => [str(r.claim_no), r])),
    refunds: new Map(refunds.map((r) => [str(r.refund_no), r])),
    payments: new Map(payments.map((r) => [str(r.pay_order_no), r])),
    finOrders: await rows(
      finance,
      'SELECT order_no, kind, uid, amount, status, pay_order_no FROM orders ORDER BY order_no',
    ),
  };
}

/** Invariants that hold at every step. Returns the violations (empty: all hold). */
export async function checkStep(packets: Client, finance: Client): Promise<string[]> {
  const bad: string[] = [];
  const b = await readBooks(packets, finance);
  for (const p of b.packets) {
    const id = str(p.id);
    if (num(p.claimed) + num(p.remaining_amount) !== num(p.total_amount))
      bad.push(
        `packet ${id}: claims ${p.claimed} + remaining ${p.remaining_amount} != amount ${p.total_amount}`,
      );
    if (num(p.n) + num(p.remaining_count) !== num(p.total_count))
      bad.push(`packet ${id}: ${p.n} claims + ${p.remaining_count} left != ${p.total_count} shares`);
    if (num(p.n) > 0 && num(p.smallest) < 1) bad.push(`packet ${id}: a share below 1 fen (${p.smallest})`);
    if (num(p.uids) !== num(p.n)) bad.push(`packet ${id}: a uid claimed twice`);
    if (num(p.remaining_count) > 0 && num(p.remaining_amount) < num(p.remaining_count))
      bad.push(`packet ${id}: ${p.remaining_amount} fen left for ${p.remaining_count} shares`);
  }

  // finance: every balance is its ledger, and the ledger (opening balances included) sums to zero
  const accounts = await rows(
    finance,
    `SELECT a.id, a.balance, (SELECT COALESCE(SUM(l.amount), 0) FROM ledger_entries l WHERE l.account = a.id) AS ledger
       FROM accounts a ORDER BY a.id`,
  );
  let total = 0;
  for (const a of accounts) {
    total += num(a.balance);
    if (num(a.balance) !== num(a.ledger))
      bad.push(`finance: account ${a.id} balance ${a.balance} != ledger ${a.ledger}`);
  }
  if (total !== 0) bad.push(`finance: the balances sum to ${total}, not 0 (money created or lost)`);

  // conservation across both books (Jepsen bank): per paid packet, what left the merchant for it
  // never exceeds what came in, and each movement at finance is one of our orders, once
  const paidIn = new Map<string, number>();
  const out = new Map<string, number>();
  const refundsOfPayment = new Map<string, number>();
  for (const o of b.finOrders) {
    if (str(o.status) !== 'succeeded') continue;
    const no = str(o.order_no);
    if (o.kind === 'payment') {
      const ours = b.payments.get(no);
      if (!ours) bad.push(`finance: payment ${no} is none of ours`);
      else paidIn.set(str(ours.packet_id), num(o.amount));
    } else if (o.kind === 'transfer') {
      const claim = b.claims.get(no);
      if (!claim) {
        bad.push(`finance: transfer ${no} (${o.amount} fen) pays no claim of ours`);
        continue;
      }
      if (num(claim.amount) !== num(o.amount) || str(claim.uid) !== str(o.uid))
        bad.push(
          `finance: transfer ${no} pays ${o.uid} ${o.amount} fen, the claim is ${claim.uid} ${claim.amount}`,
        );
      const pid = str(claim.packet_id);
      out.set(pid, (out.get(pid) ?? 0) + num(o.amount));
    } else if (o.kind === 'refund') {
      const refund = b.refunds.get(no);
      const pay = str(o.pay_order_no);
      refundsOfPayment.set(pay, (refundsOfPayment.get(pay) ?? 0) + 1);
      if (!refund) {
        bad.push(`finance: refund ${no} (${o.amount} fen) is none of ours`);
        continue;
      }
      if (num(refund.amount) !== num(o.amount))
        bad.push(`finance: refund ${no} of ${o.amount} fen, ours is ${refund.amount}`);
      const pid = str(refund.packet_id);
      out.set(pid, (out.get(pid) ?? 0) + num(o.amount));
    }
  }
  for (const [pay, n] of refundsOfPayment) if (n > 1) bad.push(`finance: payment ${pay} refunded ${n} times`);
  for (const [pid, sum] of out) {
    const came = paidIn.get(pid) ?? 0;
    if (sum > came) bad.push(`packet ${pid}: ${sum} fen paid out for ${came} fen paid in`);
  }
  // our records never run ahead of the money: transferred / succeeded / paid only when finance says so
  const finByNo = new Map(b.finOrders.map((o) => [str(o.order_no), o]));
  for (const [no, c] of b.claims) {
    if (str(c.status) === 'transferred' && str(finByNo.get(no)?.status) !== 'succeeded')
      bad.push(`claim ${no} is transferred but finance never paid it`);
  }
  for (const [no, r] of b.refunds) {
    if (str(r.status) === 'succeeded' && str(finByNo.get(no)?.status) !== 'succeeded')
      bad.push(`refund ${no} succeeded but finance never refunded it`);
  }
  for (const [no, p] of b.payments) {
    if (str(p.status) === 'paid' && str(finByNo.get(no)?.status) !== 'succeeded')
      bad.push(`payment ${no} is paid but finance has no money for it`);
  }
  return bad;
}

/** Every answer a client took as a claim is the claim the store holds (same claim, same fen). */
export async function checkClientSeen(packets: Client, seen: readonly ClientSuccess[]): Promise<string[]> {
  const bad: string[] = [];
  const all = await rows(packets, 'SELECT claim_no, packet_id, uid, amount FROM claims');
  const byKey = new Map(all.map((r) => [`${r.packet_id} ${r.uid}`, r]));
  for (const s of seen) {
    const c = byKey.get(`${s.packetId} ${s.uid}`);
    if (!c) bad.push(`client ${s.uid} was told claim ${s.claimNo} of ${s.packetId}; the store has none`);
    else if (str(c.claim_no) !== s.claimNo || num(c.amount) !== s.amount)
      bad.push(
        `client ${s.uid} was told ${s.claimNo} ${s.amount} fen; the store has ${c.claim_no} ${c.amount} fen`,
      );
  }
  return bad;
}

/** At quiescence: every order final, every claim paid once, every remainder refunded once, no task left. */
export async function checkQuiescent(packets: Client, finance: Client): Promise<string[]> {
  const bad = await checkStep(packets, finance);
  const b = await readBooks(packets, finance);
  const fin = new Map(b.finOrders.map((o) => [str(o.order_no), o]));
  for (const p of b.packets) {
    const id = str(p.id);
    const status = str(p.status);
    if (!['exhausted', 'refunded', 'closed'].includes(status)) bad.push(`packet ${id} is still ${status}`);
    const pay = b.payments.get(str(p.pay_order_no));
    const finPay = fin.get(str(p.pay_order_no));
    const paidAtFinance = str(finPay?.status) === 'succeeded';
    if (pay && str(pay.status) === 'pending') bad.push(`payment ${pay.pay_order_no} is still pending`);
    if (paidAtFinance !== (str(pay?.status) === 'paid'))
      bad.push(
        `packet ${id}: finance says ${finPay?.status ?? 'no order'}, we say ${pay?.status ?? 'no payment'}`,
      );
    if (status === 'closed' && num(p.n) > 0) bad.push(`packet ${id} closed with claims`);
    const refunds = [...b.refunds.values()].filter((r) => str(r.packet_id) === id);
    if (status === 'refunded') {
      if (refunds.length !== 1) bad.push(`packet ${id} refunded by ${refunds.length} refund orders`);
      for (const r of refunds) {
        if (str(r.status) !== 'succeeded') bad.push(`refund ${r.refund_no} is ${r.status}`);
        if (num(r.amount) !== num(p.remaining_amount))
          bad.push(`refund ${r.refund_no} of ${r.amount} fen for ${p.remaining_amount} fen left`);
      }
    } else if (refunds.length > 0) bad.push(`packet ${id} (${status}) has a refund order`);
    if (paidAtFinance) {
      const refunded = refunds.reduce((s, r) => s + (str(r.status) === 'succeeded' ? num(r.amount) : 0), 0);
      if (num(p.claimed) + refunded !== num(finPay?.amount))
        bad.push(`packet ${id}: ${p.claimed} claimed + ${refunded} refunded != ${finPay?.amount} paid`);
    }
  }
  const transfers = b.finOrders.filter((o) => o.kind === 'transfer' && str(o.status) === 'succeeded');
  for (const [no, c] of b.claims) {
    if (str(c.status) !== 'transferred') bad.push(`claim ${no} is ${c.status}, not transferred`);
    if (str(fin.get(no)?.status) !== 'succeeded') bad.push(`claim ${no} was never paid at finance`);
  }
  if (transfers.length !== b.claims.size)
    bad.push(`finance made ${transfers.length} transfers for ${b.claims.size} claims`);
  const tasks = await rows(packets, `SELECT kind, ref, status, last_error FROM tasks WHERE status <> 'done'`);
  for (const t of tasks) bad.push(`task ${t.kind} ${t.ref} is ${t.status} (${t.last_error ?? ''})`);
  return bad;
}
