/**
 * Issue 22: streams both sides of a window from the stores into the engine's layout tables, one
 * keyset page at a time (memory: one page per stream; the engine spills), then answers the
 * look-ups the SQL asks for (00-lookups.sql) one by one, as the streaming matcher did.
 */
import { isShadowNo } from '../../domain/ids.js';
import type { ReconStore } from '../../domain/ports.js';
import type { RainExportReads } from '../../finance/rain/grant-export.js';
import type { ReconLane } from '../lane.js';
import { statementsOf, LOOKUP_FILES, type ReconType, type SqlParams } from '../sql-statements.js';
import {
  issuedGrants,
  ordersOfKind,
  ourSubsidies,
  providerMoves,
  streamsOf,
  type LedgerPager,
} from '../sources.js';
import type { ProviderOrderView } from '../types.js';
import type { Engine } from './engine.js';
import type { Row } from './layout.js';

export interface LiveSides {
  store: Pick<ReconStore, 'listOrders' | 'findOrder' | 'listPacketTotals' | 'listSubsidies' | 'findSubsidy'>;
  ledger: LedgerPager;
  providerOrder(orderNo: string): Promise<ProviderOrderView | null>;
  issuer: RainExportReads;
}

export interface LoadRequest {
  fromMs: number;
  toMs: number;
  cutoffMs: number;
  type: ReconType;
  lane: ReconLane;
  pageSize: number;
}

export const laneOf = (no: string): ReconLane => (isShadowNo(no) ? 'shadow' : 'real');

async function* map<T>(items: AsyncIterable<T>, f: (t: T) => Row): AsyncGenerator<Row> {
  for await (const t of items) yield f(t);
}

/** Row counts per table, for the export's manifest and the bench. */
export type LoadCounts = Partial<Record<string, number>>;

export async function loadWindow(engine: Engine, sides: LiveSides, req: LoadRequest): Promise<LoadCounts> {
  const { store } = sides;
  const counts: LoadCounts = {};
  const add = async (table: Parameters<Engine['append']>[0], rows: AsyncIterable<Row>) => {
    counts[table] = (counts[table] ?? 0) + (await engine.append(table, rows));
  };
  await engine.createTables();
  for (const s of streamsOf(req.type)) {
    const orders = ordersOfKind(store, s.scope, s.kind, req.fromMs, req.toMs, req.pageSize);
    await add(
      'orders',
      map(orders, (o) => [
        o.orderNo,
        o.kind,
        s.scope,
        o.packetId,
        o.uid ?? null,
        o.amount,
        o.status,
        o.mocked,
        o.createdAt,
        laneOf(o.orderNo),
      ]),
    );
  }
  const withB2c = req.type !== 'c2c';
  const moves = providerMoves(sides.ledger, req.fromMs, req.toMs + req.cutoffMs, req.pageSize, withB2c);
  await add(
    'ledger',
    map(moves, (m) => [m.orderNo, m.kind, m.txnId, m.amount, m.createdAt, m.seq, laneOf(m.orderNo)]),
  );
  for (const type of ['c2c', 'b2c'] as const) {
    if (req.type !== 'all' && req.type !== type) continue;
    await add('packets', packetRows(store, type, req));
  }
  if (withB2c) {
    await add('subsidies', map(ourSubsidies(store, req.fromMs, req.toMs, req.pageSize), subsidyRow));
    await add('grants', map(issuedGrants(sides.issuer, req.fromMs, req.toMs, req.pageSize), grantRow));
  }
  return counts;
}

async function* packetRows(
  store: LiveSides['store'],
  type: 'c2c' | 'b2c',
  req: LoadRequest,
): AsyncGenerator<Row> {
  let after: { createdAt: number; packetId: string } | undefined;
  for (;;) {
    const page = await store.listPacketTotals({
      type,
      fromMs: req.fromMs,
      toMs: req.toMs,
      limit: req.pageSize,
      ...(after ? { after } : {}),
    });
    for (const p of page) {
      yield [
        p.packetId,
        type,
        p.status,
        p.totalAmount,
        p.paid,
        p.paidOrders ?? 0,
        p.transferred,
        p.refunded,
        p.claims,
        p.transfers,
        p.openOrders,
        p.mocked,
        p.createdAt,
        laneOf(p.packetId),
      ];
    }
    const last = page.at(-1);
    if (!last || page.length < req.pageSize) return;
    after = { createdAt: last.createdAt, packetId: last.packetId };
  }
}

const subsidyRow = (s: {
  outGrantNo: string;
  tokenId: string;
  uid: string;
  campaign: string;
  amount: number;
  status: string;
  issuedAt: number;
}): Row => [s.outGrantNo, s.tokenId, s.uid, s.campaign, s.amount, s.status, s.issuedAt, laneOf(s.outGrantNo)];

const grantRow = (g: {
  outGrantNo: string;
  tokenId: string;
  uid: string;
  campaign: string;
  amount: number;
  issuedAt: number;
  expiresAt: number;
}): Row => [
  g.outGrantNo,
  g.tokenId,
  g.uid,
  g.campaign,
  g.amount,
  g.issuedAt,
  g.expiresAt,
  laneOf(g.outGrantNo),
];

async function needed(engine: Engine, table: string): Promise<string[]> {
  return (await engine.rows(`SELECT no FROM ${table} ORDER BY no`)).map((r) => String(r.no));
}

async function* lookUp<T>(
  nos: readonly string[],
  ask: (no: string) => Promise<T | null>,
  row: (t: T) => Row,
) {
  for (const no of nos) {
    const answer = await ask(no);
    if (answer) yield row(answer);
  }
}

/**
 * Runs the look-up queries and appends the answers to provider_orders, order_refs, grant_refs and
 * subsidy_refs. B2C: an order the provider does not know may be a return the issuer took back.
 */
export async function answerLookups(
  engine: Engine,
  sides: LiveSides,
  params: SqlParams,
  counts: LoadCounts = {},
): Promise<LoadCounts> {
  for (const s of statementsOf(LOOKUP_FILES, params)) await engine.run(s);
  const withB2c = params.type !== 'c2c';
  const providerOrder = async (no: string): Promise<ProviderOrderView | null> => {
    const order = await sides.providerOrder(no);
    if (order || !withB2c) return order;
    const ret = await sides.issuer.getReturn(no);
    return ret ? { orderNo: ret.returnNo, amount: ret.amount, status: 'succeeded' } : null;
  };
  const put = async (table: Parameters<Engine['append']>[0], rows: AsyncIterable<Row>) => {
    counts[table] = (counts[table] ?? 0) + (await engine.append(table, rows));
  };
  await put(
    'provider_orders',
    lookUp(await needed(engine, 'recon_need_provider_orders'), providerOrder, (v) => [
      v.orderNo,
      v.amount,
      v.status,
    ]),
  );
  await put(
    'order_refs',
    lookUp(
      await needed(engine, 'recon_need_order_refs'),
      async (no) => {
        const o = await sides.store.findOrder(no);
        return o ? { no, ...o } : null;
      },
      (o) => [o.no, o.kind, o.createdAt],
    ),
  );
  await put(
    'grant_refs',
    lookUp(await needed(engine, 'recon_need_grant_refs'), (no) => sides.issuer.getGrant(no), grantRow),
  );
  await put(
    'subsidy_refs',
    lookUp(await needed(engine, 'recon_need_subsidy_refs'), (no) => sides.store.findSubsidy(no), subsidyRow),
  );
  for (const t of [
    'recon_need_provider_orders',
    'recon_need_order_refs',
    'recon_need_grant_refs',
    'recon_need_subsidy_refs',
  ])
    await engine.run(`DROP TABLE ${t}`);
  return counts;
}
