/** Inputs and small helpers shared by the packet store contract suites. */
import { randomBytes } from 'node:crypto';
import type { PaymentStatus } from '../../src/domain/order.js';
import type { Packet, PacketStatus } from '../../src/domain/packet.js';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { NewC2cPacket, PacketStore, Task, TaskKind } from '../../src/domain/ports.js';
import { shardOfKey, shardOfPacketNo } from '../../src/storage/sharded/shard-routing.js';

export interface StoreHarness {
  store: PacketStore;
  /**
   * Test backdoor, written straight to the adapter's tables: states no port method reaches yet
   * (a closed payment order, an expired or refunded packet).
   */
  forcePaymentStatus(payOrderNo: string, status: PaymentStatus): Promise<void>;
  forcePacketStatus(packetId: string, status: PacketStatus): Promise<void>;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

/** The suite's clock: festival night. Every time in the suite is relative to it. */
export const NOW = Date.UTC(2026, 1, 11, 12, 0, 0);
export const HOUR = 3_600_000;

export const unique = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/**
 * Issue 6: the sharded target runs on this many databases (test/shards/packet-store.sharded.test.ts)
 * and refuses a packet whose id names another shard than its sender's; the single-database stores
 * ignore the shard digits. So the fixtures build every packet id on its sender's shard.
 */
export const CONTRACT_SHARDS = 2;

export const packetIdFor = (senderUid: string, at: number): string =>
  newPacketId(shardOfKey(senderUid, CONTRACT_SHARDS), at);

/** A fresh sender whose packets go on the shard this packet id names. */
function senderFor(packetId: string | undefined): string {
  const shard = packetId === undefined ? null : shardOfPacketNo(packetId, CONTRACT_SHARDS);
  for (;;) {
    const uid = unique('sender');
    if (shard === null || shardOfKey(uid, CONTRACT_SHARDS) === shard) return uid;
  }
}

export function c2cInput(overrides: Partial<NewC2cPacket> = {}): NewC2cPacket {
  const senderUid = overrides.senderUid ?? senderFor(overrides.id);
  return {
    id: packetIdFor(senderUid, NOW),
    senderUid,
    outOrderNo: unique('out'),
    totalAmount: 1000,
    totalCount: 10,
    splitMode: 'random',
    greeting: 'Happy new year',
    expiresAt: NOW + 24 * HOUR,
    payOrderNo: newOrderNo('PAY', NOW),
    now: NOW,
    ...overrides,
  };
}

/** A fresh retry of the same order: new ids and clock, same body. */
export function retryOf(input: NewC2cPacket, at: number): NewC2cPacket {
  return {
    ...input,
    id: packetIdFor(input.senderUid, at),
    payOrderNo: newOrderNo('PAY', at),
    expiresAt: at + (input.expiresAt - input.now), // the same lifetime
    now: at,
  };
}

/** Creates a packet and marks it paid at NOW; returns the active packet. */
export async function activePacket(
  store: PacketStore,
  overrides: Partial<NewC2cPacket> = {},
): Promise<Packet> {
  const input = c2cInput(overrides);
  await store.createC2cPacket(input);
  const paid = await store.markPaid(input.payOrderNo, input.totalAmount, unique('TXN'), input.now);
  return paid.packet;
}

export async function tasksWithRef(store: PacketStore, kind: TaskKind, ref: string): Promise<Task[]> {
  return (await store.listTasks({ kind })).filter((t) => t.ref === ref);
}

/** Transfer tasks of one packet's claims (their ref is the claim number `${packetId}-${seq}`). */
export async function transferTasksOf(store: PacketStore, packetId: string): Promise<Task[]> {
  return (await store.listTasks({ kind: 'transfer' })).filter((t) => t.ref.startsWith(`${packetId}-`));
}

export const uids = (n: number, prefix = unique('u')): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
