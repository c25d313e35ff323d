/**
 * Issue 24: what must hold, read straight from both books (the packet store's SQLite file and
 * finance's), never through the service. `checkStep` holds after every step, whatever the faults;
 * `checkQuiescent` once faults stopped and every task, callback and retry has run its course.
 *
 * Mocked orders (`mock payment`, src/switches/mocks/) are money that never moved: a mocked
 * packet's payment, transfers and refund are rows of the switch store's `ops_mocked_orders`
 * instead of orders at finance, and they must stay there: none of a mocked packet's money may
 * reach finance, and no real packet's order may be mocked.
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
  withdrawals: Map<string, Row>;
  credits: Row[];
  balances: Row[];
  b2cReturns: Map<string, Row>;
  rainReturns: Map<string, Row>;
  rainGrants: Row[];
  subsidies: Map<string, Row>;
  /** ops_mocked_orders by order number. */
  mocked: Map<string, Row>;
  /** Packets whose payment was mocked. */
  mockedPackets: Set<string>;
}

async function readBooks(packets: Client, finance: Client): Promise<Books> {
  const claims = await rows(packets, 'SELECT claim_no, packet_id, uid, amount, status FROM claims');
  const refunds = await rows(
    packets,
    'SELECT refund_no, packet_id, pay_order_no, amount, status FROM refund_orders',
  );
  const payments = await rows(packets, 'SELECT pay_order_no, packet_id, amount, status FROM payment_orders');
  const withdrawals = await rows(packets, 'SELECT withdrawal_no, uid, amount, status FROM withdrawals');
  const b2cReturns = await rows(packets, 'SELECT return_no, packet_id, amount, status FROM b2c_returns');
  const rainReturns = await rows(finance, 'SELECT return_no, amount FROM rain_returns');
  const subsidies = await rows(packets, 'SELECT out_grant_no, uid, amount, status FROM subsidies');
  const mocked = await rows(packets, 'SELECT order_no, kind, packet_id, uid, amount FROM ops_mocked_orders');
  return {
    mocked: new Map(mocked.map((r) => [str(r.order_no), r])),
    mockedPackets: new Set(mocked.filter((r) => r.kind === 'payment').map((r) => str(r.packet_id))),
    withdrawals: new Map(withdrawals.map((r) => [str(r.withdrawal_no), r])),
    credits: await rows(packets, 'SELECT claim_no, packet_id, uid, amount FROM subsidy_credits'),
    balances: await rows(packets, 'SELECT uid, available, held FROM subsidy_balances'),
    b2cReturns: new Map(b2cReturns.map((r) => [str(r.return_no), r])),
    rainReturns: new Map(rainReturns.map((r) => [str(r.return_no), r])),
    rainGrants: await rows(finance, 'SELECT out_grant_no, uid, amount FROM rain_grants'),
    subsidies: new Map(subsidies.map((r) => [str(r.out_grant_no), r])),
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
      const w = b.withdrawals.get(no);
      if (!claim && w) {
        if (num(w.amount) !== num(o.amount) || str(w.uid) !== str(o.uid))
          bad.push(
            `finance: transfer ${no} pays ${o.uid} ${o.amount} fen, the withdrawal is ${w.uid} ${w.amount}`,
          );
        continue;
      }
      if (!claim) {
        bad.push(`finance: transfer ${no} (${o.amount} fen) pays no claim or withdrawal of ours`);
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
  const b2c = new Set(b.packets.filter((p) => str(p.type) === 'b2c').map((p) => str(p.id)));
  const credited = new Set(b.credits.map((c) => str(c.claim_no)));
  // ... or, for a mocked packet, when its mocked order says so (same amount)
  const mockedAs = (no: string, kind: string, amount: unknown) => {
    const m = b.mocked.get(no);
    return m !== undefined && m.kind === kind && num(m.amount) === num(amount);
  };
  for (const [no, c] of b.claims) {
    if (str(c.status) !== 'transferred') continue;
    if (b2c.has(str(c.packet_id))) {
      if (!credited.has(no)) bad.push(`B2C claim ${no} is transferred but never credited`);
    } else if (str(finByNo.get(no)?.status) !== 'succeeded' && !mockedAs(no, 'transfer', c.amount))
      bad.push(`claim ${no} is transferred but finance never paid it`);
  }
  for (const [no, r] of b.refunds) {
    if (str(r.status) !== 'succeeded' || str(finByNo.get(no)?.status) === 'succeeded') continue;
    if (!mockedAs(no, 'refund', r.amount)) bad.push(`refund ${no} succeeded but finance never refunded it`);
  }
  for (const [no, p] of b.payments) {
    if (str(p.status) !== 'paid' || str(finByNo.get(no)?.status) === 'succeeded') continue;
    if (!mockedAs(no, 'payment', p.amount)) bad.push(`payment ${no} is paid but finance has no money for it`);
  }
  bad.push(...checkMocked(b));
  for (const [no, w] of b.withdrawals) {
    if (str(w.status) === 'succeeded' && str(finByNo.get(no)?.status) !== 'succeeded')
      bad.push(`withdrawal ${no} succeeded but finance never paid it`);
  }
  for (const [no, r] of b.refunds)
    if (num(r.amount) < 1) bad.push(`refund ${no} of ${r.amount} fen (a packet with nothing left refunded)`);
  bad.push(...checkSubsidies(b));
  return bad;
}

/**
 * Mocked money stays mocked: every mocked transfer or refund belongs to a packet whose payment was
 * mocked, is one of its claims or its refund (same amount), and together they never exceed the
 * mocked payment; a mocked packet's payment never reached finance. (Finance paying out for a
 * mocked packet shows as "paid out for 0 fen paid in" in the conservation check above.)
 */
function checkMocked(b: Books): string[] {
  const bad: string[] = [];
  const finByNo = new Map(b.finOrders.map((o) => [str(o.order_no), o]));
  const out = new Map<string, number>();
  for (const [no, m] of b.mocked) {
    const pid = str(m.packet_id);
    if (m.kind === 'payment') {
      const pay = b.payments.get(no);
      if (!pay || str(pay.packet_id) !== pid || num(pay.amount) !== num(m.amount))
        bad.push(`mocked payment ${no} (${m.amount} fen) is no payment of ours`);
      if (str(finByNo.get(no)?.status) === 'succeeded')
        bad.push(`mocked payment ${no} was paid at finance too`);
      continue;
    }
    if (!b.mockedPackets.has(pid)) bad.push(`mocked ${m.kind} ${no} of packet ${pid}, whose payment is real`);
    const ours = m.kind === 'transfer' ? b.claims.get(no) : b.refunds.get(no);
    if (!ours || num(ours.amount) !== num(m.amount))
      bad.push(`mocked ${m.kind} ${no} of ${m.amount} fen matches no ${m.kind} of ours`);
    out.set(pid, (out.get(pid) ?? 0) + num(m.amount));
  }
  for (const [pid, sum] of out) {
    const pay = [...b.mocked.values()].find((m) => m.kind === 'payment' && str(m.packet_id) === pid);
    if (pay && sum > num(pay.amount))
      bad.push(`mocked packet ${pid}: ${sum} fen mocked out of ${pay.amount}`);
  }
  return bad;
}

/**
 * B2C money: what claims credited is in the balances or went out by a succeeded withdrawal; a
 * balance's held part is its pending withdrawals; every return at the issuer is one of ours, of
 * the same amount, and a packet's claims and return never exceed its subsidy.
 */
function checkSubsidies(b: Books): string[] {
  const bad: string[] = [];
  let credited = 0;
  for (const c of b.credits) {
    credited += num(c.amount);
    const claim = b.claims.get(str(c.claim_no));
    if (!claim || num(claim.amount) !== num(c.amount) || str(claim.uid) !== str(c.uid))
      bad.push(`subsidy credit ${c.claim_no} of ${c.amount} fen matches no claim of ours`);
  }
  const held = new Map<string, number>();
  let out = 0;
  for (const w of b.withdrawals.values()) {
    if (str(w.status) === 'succeeded') out += num(w.amount);
    if (str(w.status) === 'pending') held.set(str(w.uid), (held.get(str(w.uid)) ?? 0) + num(w.amount));
  }
  let balances = 0;
  for (const a of b.balances) {
    balances += num(a.available) + num(a.held);
    if (num(a.available) < 0 || num(a.held) < 0) bad.push(`subsidy balance of ${a.uid} below zero`);
    if (num(a.held) !== (held.get(str(a.uid)) ?? 0))
      bad.push(
        `subsidy balance of ${a.uid}: ${a.held} fen held for ${held.get(str(a.uid)) ?? 0} fen pending`,
      );
  }
  if (credited !== balances + out)
    bad.push(`subsidies: ${credited} fen credited != ${balances} in balances + ${out} withdrawn`);
  for (const [no, r] of b.rainReturns) {
    const ours = b.b2cReturns.get(no);
    if (!ours) bad.push(`issuer: return ${no} (${r.amount} fen) is none of ours`);
    else if (num(ours.amount) !== num(r.amount))
      bad.push(`issuer: return ${no} of ${r.amount} fen, ours is ${ours.amount}`);
  }
  const returned = new Map([...b.b2cReturns.values()].map((r) => [str(r.packet_id), r]));
  for (const p of b.packets) {
    if (str(p.type) !== 'b2c') continue;
    const r = returned.get(str(p.id));
    if (r && num(p.claimed) + num(r.amount) !== num(p.total_amount))
      bad.push(`packet ${p.id}: ${p.claimed} claimed + ${r.amount} returned != ${p.total_amount} granted`);
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
    const mockedPay = b.mocked.get(str(p.pay_order_no));
    const paidAtFinance = str(finPay?.status) === 'succeeded';
    if (pay && str(pay.status) === 'pending') bad.push(`payment ${pay.pay_order_no} is still pending`);
    if (mockedPay) {
      if (str(pay?.status) !== 'paid') bad.push(`packet ${id}: payment mocked, we say ${pay?.status}`);
    } else if (paidAtFinance !== (str(pay?.status) === 'paid'))
      bad.push(
        `packet ${id}: finance says ${finPay?.status ?? 'no order'}, we say ${pay?.status ?? 'no payment'}`,
      );
    if (status === 'closed' && num(p.n) > 0) bad.push(`packet ${id} closed with claims`);
    if (str(p.type) === 'b2c') {
      bad.push(...b2cQuiescent(b, p));
      continue;
    }
    const refunds = [...b.refunds.values()].filter((r) => str(r.packet_id) === id);
    if (status === 'refunded') {
      if (refunds.length !== 1) bad.push(`packet ${id} refunded by ${refunds.length} refund orders`);
      for (const r of refunds) {
        if (str(r.status) !== 'succeeded') bad.push(`refund ${r.refund_no} is ${r.status}`);
        if (num(r.amount) !== num(p.remaining_amount))
          bad.push(`refund ${r.refund_no} of ${r.amount} fen for ${p.remaining_amount} fen left`);
      }
    } else if (refunds.length > 0) bad.push(`packet ${id} (${status}) has a refund order`);
    const paid = mockedPay ?? (paidAtFinance ? finPay : undefined);
    if (paid) {
      const refunded = refunds.reduce((s, r) => s + (str(r.status) === 'succeeded' ? num(r.amount) : 0), 0);
      if (num(p.claimed) + refunded !== num(paid.amount))
        bad.push(
          `packet ${id}: ${p.claimed} claimed + ${refunded} refunded != ${paid.amount} paid${mockedPay ? ' (mocked)' : ''}`,
        );
    }
  }
  const transfers = b.finOrders.filter(
    (o) => o.kind === 'transfer' && str(o.status) === 'succeeded' && !b.withdrawals.has(str(o.order_no)),
  );
  const b2cPackets = new Set(b.packets.filter((p) => str(p.type) === 'b2c').map((p) => str(p.id)));
  const credited = new Set(b.credits.map((c) => str(c.claim_no)));
  let c2cClaims = 0;
  for (const [no, c] of b.claims) {
    if (str(c.status) !== 'transferred') bad.push(`claim ${no} is ${c.status}, not transferred`);
    if (b2cPackets.has(str(c.packet_id))) {
      if (!credited.has(no)) bad.push(`B2C claim ${no} was never credited to ${c.uid}`);
      continue;
    }
    if (b.mockedPackets.has(str(c.packet_id))) {
      if (b.mocked.get(no)?.kind !== 'transfer')
        bad.push(`claim ${no} of a mocked packet was never mocked paid`);
      continue;
    }
    c2cClaims++;
    if (str(fin.get(no)?.status) !== 'succeeded') bad.push(`claim ${no} was never paid at finance`);
  }
  if (transfers.length !== c2cClaims)
    bad.push(`finance made ${transfers.length} transfers for ${c2cClaims} C2C claims`);
  for (const [no, w] of b.withdrawals) {
    const at = str(fin.get(no)?.status);
    if (str(w.status) === 'pending') bad.push(`withdrawal ${no} is still pending`);
    else if ((str(w.status) === 'succeeded') !== (at === 'succeeded'))
      bad.push(`withdrawal ${no} is ${w.status}, finance says ${at || 'no order'}`);
  }
  // every grant the issuer made is booked once, for its uid and amount (the queue or the send)
  for (const g of b.rainGrants) {
    const s = b.subsidies.get(str(g.out_grant_no));
    if (!s) bad.push(`grant ${g.out_grant_no} (${g.amount} fen to ${g.uid}) never booked`);
    else if (str(s.uid) !== str(g.uid) || num(s.amount) !== num(g.amount))
      bad.push(`grant ${g.out_grant_no} booked as ${s.uid} ${s.amount} fen, granted ${g.uid} ${g.amount}`);
  }
  const tasks = await rows(packets, `SELECT kind, ref, status, last_error FROM tasks WHERE status <> 'done'`);
  for (const t of tasks) bad.push(`task ${t.kind} ${t.ref} is ${t.status} (${t.last_error ?? ''})`);
  return bad;
}

/** A B2C packet at quiescence: its remainder returned to the campaign once, and only if any was left. */
function b2cQuiescent(b: Books, p: Row): string[] {
  const bad: string[] = [];
  const id = str(p.id);
  const returns = [...b.b2cReturns.values()].filter((r) => str(r.packet_id) === id);
  if ([...b.refunds.values()].some((r) => str(r.packet_id) === id))
    bad.push(`B2C packet ${id} has a refund order`);
  if (str(p.status) !== 'refunded') {
    if (returns.length > 0) bad.push(`packet ${id} (${p.status}) has a B2C return`);
    return bad;
  }
  if (returns.length !== 1) bad.push(`B2C packet ${id} returned by ${returns.length} returns`);
  for (const r of returns) {
    if (str(r.status) !== 'succeeded') bad.push(`B2C return ${r.return_no} is ${r.status}`);
    if (num(r.amount) !== num(p.remaining_amount) || num(r.amount) < 1)
      bad.push(`B2C return ${r.return_no} of ${r.amount} fen for ${p.remaining_amount} fen left`);
    const at = b.rainReturns.get(str(r.return_no));
    if (!at) bad.push(`B2C return ${r.return_no} never reached the issuer`);
  }
  return bad;
}
