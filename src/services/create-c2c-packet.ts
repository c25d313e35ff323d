import { newOrderNo, newPacketId } from '../domain/ids.js';
import { validatePacketShape } from '../domain/limits.js';
import type { Fen } from '../domain/money.js';
import type { Packet } from '../domain/packet.js';
import type { SplitMode } from '../domain/split.js';
import type { ServiceDeps } from './deps.js';
import { payOrderSubject } from './settlement/recheck-payment.js';

export interface CreateC2cInput {
  senderUid: string;
  outOrderNo: string;
  totalAmount: Fen;
  totalCount: number;
  splitMode?: SplitMode | undefined;
  expiresInSec?: number | undefined;
  greeting?: string | undefined;
}

export interface CreateC2cResult {
  packet: Packet;
  payOrderNo: string;
  cashierUrl: string;
  created: boolean;
  /** Issue 7: the payment was answered by `mock payment` (no cashier: the packet is active already). */
  mocked?: boolean;
}

/**
 * Creates an unpaid C2C packet and its payment order at finance.
 * The packet, our payment order and its re-check task are written first, in one transaction;
 * then the order is opened at finance (idempotent by payOrderNo). If finance is down the client
 * gets DEPENDENCY_FAILED and retries with the same outOrderNo, which replays both steps safely;
 * if it never retries, the re-check task closes the packet.
 */
export async function createC2cPacket(deps: ServiceDeps, input: CreateC2cInput): Promise<CreateC2cResult> {
  const expiresInSec = input.expiresInSec ?? deps.limits.defaultExpiresInSec;
  validatePacketShape(input.totalAmount, input.totalCount, expiresInSec, deps.limits);
  const now = deps.now();
  const { packet, payment, created } = await deps.store.createC2cPacket({
    id: newPacketId(deps.store.packetShard?.(input.senderUid) ?? 0, now, deps.shadow === true, deps.random),
    senderUid: input.senderUid,
    outOrderNo: input.outOrderNo,
    totalAmount: input.totalAmount,
    totalCount: input.totalCount,
    splitMode: input.splitMode ?? 'random',
    greeting: input.greeting ?? '',
    expiresAt: now + expiresInSec * 1000,
    payOrderNo: newOrderNo('PAY', now, deps.shadow === true, deps.random),
    now,
    ...(deps.paymentRecheckDelayMs === undefined ? {} : { recheckAt: now + deps.paymentRecheckDelayMs }),
  });
  // Issue 7: with `mock payment` on, the provider's answer is built here (no call to finance, the
  // order recorded as mocked) and the packet is active at once; replays of it stay mocked.
  const mocked = await deps.paymentMock?.payOrder(payment, created);
  if (mocked) {
    const paid = await deps.store.markPaid(payment.payOrderNo, mocked.amount, mocked.txnId ?? '', deps.now());
    return { packet: paid.packet, payOrderNo: payment.payOrderNo, cashierUrl: '', created, mocked: true };
  }
  const { cashierUrl } = await deps.provider.createPayOrder({
    payOrderNo: payment.payOrderNo,
    payerUid: payment.payerUid,
    amount: payment.amount,
    subject: payOrderSubject(packet.id),
    notifyUrl: deps.notifyUrl,
  });
  return { packet, payOrderNo: payment.payOrderNo, cashierUrl, created };
}
