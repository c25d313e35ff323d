import type { Pool, RowDataPacket } from 'mysql2/promise';

const ER_NO_SUCH_TABLE = 1146;

/** Which shard of how many a database was stamped as (`shard_identity`, 0-based), if any. */
export interface ShardIdentity {
  shard: number;
  shards: number;
}

/**
 * The database's `shard_identity` row, written by the sharded store's first migrate
 * (../sharded/mysql-shard.ts); undefined when it has none (a fresh database, or one the
 * single-database store used: that store writes no identity).
 */
export async function readShardIdentity(pool: Pool): Promise<ShardIdentity | undefined> {
  let rows: RowDataPacket[];
  try {
    [rows] = await pool.query<RowDataPacket[]>('SELECT shard, shards FROM shard_identity WHERE id = 1');
  } catch (e) {
    if ((e as { errno?: unknown }).errno === ER_NO_SUCH_TABLE) return undefined;
    throw e;
  }
  const found = rows[0];
  return found ? { shard: Number(found['shard']), shards: Number(found['shards']) } : undefined;
}
