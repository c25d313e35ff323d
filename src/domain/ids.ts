import { cryptoBytes } from './crypto-bytes.js';
import type { RandomInt } from './split.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

function base32(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** Issue 24: `n` random bytes, from crypto unless a (seeded) source is given. */
function bytesOf(n: number, random: RandomInt | undefined): Uint8Array {
  return random ? Uint8Array.from({ length: n }, () => random(256)) : cryptoBytes(n);
}

function timePart(now: number): string {
  return now.toString(32).toUpperCase().padStart(9, '0');
}

/**
 * Issue 5: shadow (load-test) traffic is kept apart from real data (DESIGN §2), and every number
 * the shadow lane makes starts with `S`, so the provider's books, logs and reconciliation can
 * tell it apart: shadow packet ids `S00…` (and so their claims `S00…-3` and refunds `S00…-R`),
 * shadow orders `SPAY…`, `SWDR…`. No real number starts with `S`.
 */
export const SHADOW_MARK = 'S';

/** The request header that puts a request in the shadow lane (every load-test request carries it). */
export const SHADOW_HEADER = 'x-redpkt-shadow';

/** The headers of a client of the shadow lane (load runner, fixtures, recon --shadow, its provider). */
export const SHADOW_HEADERS: Readonly<Record<string, string>> = { [SHADOW_HEADER]: '1' };

export function isShadowNo(no: string): boolean {
  return no.startsWith(SHADOW_MARK);
}

/**
 * Packet ids: `P` (`S` for shadow) + 2-digit shard + time + randomness, e.g. `P00` + 9 + 12
 * chars. The shard rides in the id so any instance can find a packet's database without a lookup.
 */
export function newPacketId(shard = 0, now = Date.now(), shadow = false, random?: RandomInt): string {
  return `${shadow ? SHADOW_MARK : 'P'}${String(shard).padStart(2, '0')}${timePart(now)}${base32(bytesOf(12, random))}`;
}

export function shardOfPacketId(packetId: string): number {
  const n = Number.parseInt(packetId.slice(1, 3), 10);
  return Number.isNaN(n) ? 0 : n;
}

/** Order numbers we send to finance: a prefix per kind, time, randomness. */
export function newOrderNo(
  prefix: 'PAY' | 'TRF' | 'RFD' | 'WDR',
  now = Date.now(),
  shadow = false,
  random?: RandomInt,
): string {
  return `${shadow ? SHADOW_MARK : ''}${prefix}${timePart(now)}${base32(bytesOf(12, random))}`;
}
