/**
 * Issue 6: where a row lives when the packet store is sharded over several MySQL databases
 * (DESIGN §2). Pure functions, no I/O.
 *
 * - A packet, its payment, claims, refund, return and their tasks live on the packet's shard,
 *   which its id carries (`P07…`, shadow `S07…`); claim numbers `${packetId}-${seq}` and refund
 *   numbers `${packetId}-R` start with the packet id, so they carry it too.
 * - User-owned rows (booked subsidies, balances, credits, withdrawals) live on the uid's shard,
 *   a stable hash of the uid. A sender's packets go on the sender's shard, so a B2C send that
 *   spends the sender's subsidy stays one transaction in one database.
 * - The grant guard lives on the out_grant_no's shard (the same hash), the token guard on the
 *   token id's shard.
 *
 * The shard of a key is its index in the `--mysql` URL list, so that list is fixed for the life
 * of the data: reordering, adding or removing a URL would send keys to the wrong database
 * (the sharded store refuses to migrate when a database says it is another shard).
 */

/** Packet ids carry two decimal digits of shard. */
export const MAX_SHARDS = 100;

/** FNV-1a, 32 bit, over the UTF-8 bytes: stable across processes, versions and platforms. */
export function fnv1a32(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The shard of a user-owned row (by uid), of a grant guard (by out_grant_no), of a token guard. */
export function shardOfKey(key: string, shards: number): number {
  return shards <= 1 ? 0 : fnv1a32(key) % shards;
}

const PACKET_NO = /^[PS](\d\d)/;

/**
 * The shard a packet id, claim number or refund number names, or null when the string does not
 * start like a packet id or names a shard this store does not have (such a row exists nowhere).
 */
export function shardOfPacketNo(no: string, shards: number): number | null {
  const m = PACKET_NO.exec(no);
  if (!m?.[1]) return null;
  const shard = Number(m[1]);
  return shard < shards ? shard : null;
}

/**
 * Task and alert ids are AUTO_INCREMENT per database; the sharded store hands out
 * `local * MAX_SHARDS + shard`, so ids of different shards never collide and each one says where
 * its row is. Safe integers leave room for 9 * 10^13 tasks per shard.
 */
export function globalId(localId: number, shard: number): number {
  return localId * MAX_SHARDS + shard;
}

export function localId(id: number): { shard: number; local: number } {
  return { shard: id % MAX_SHARDS, local: Math.floor(id / MAX_SHARDS) };
}

/** Groups items by the shard `shardOf` gives, keeping their order inside each group. */
export function groupByShard<T>(items: readonly T[], shardOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOf(item);
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}
