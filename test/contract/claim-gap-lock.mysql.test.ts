/**
 * Review of issue 6: a claim on a packet id that does not exist must not block packet creation.
 * Under REPEATABLE READ, the claim transaction's `SELECT … WHERE id IN (…) FOR UPDATE` of a
 * missing id that sorts after every real one locked the gap up to the end of the index, and every
 * new packet (ids start with their creation time) waited behind it until the lock-wait timeout.
 * The claim transaction runs at READ COMMITTED (src/storage/mysql/mysql-claim-tx.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPacketId } from '../../src/domain/ids.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { writeMysqlClaims } from '../../src/storage/mysql/mysql-claim-tx.js';
import { createMysqlPool } from '../../src/storage/mysql/mysql-store.js';
import { activePacket, c2cInput } from './contract-fixtures.js';
import { createTestMysqlStore, type TestMysqlStore } from '../support/mysql-store.js';
import { mysqlAvailable } from '../support/services.js';

/** Sorts after every packet id the service makes (time prefix, Crockford base32). */
const MISSING_HIGH_ID = 'P00ZZZZZZZZZZZZZZZZZZZZZZ';

describe.skipIf(!(await mysqlAvailable()))('the MySQL claim transaction and packet creation', () => {
  let db: TestMysqlStore;
  let store: PacketStore;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestMysqlStore('gaplock');
    ({ store } = db);
    pool = createMysqlPool({ url: db.url, connectionLimit: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('lets a packet be created while a claim group on a missing high id holds its transaction open', async () => {
    const existing = await activePacket(store, { id: newPacketId(0, Date.now() - 60_000) });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));

    // the real claim transaction's statements, kept open between the lock and the commit
    const claim = writeMysqlClaims(pool.pool, async (tx) => {
      const rows = await tx.lockForClaims([
        { packetId: existing.id, uids: ['u1'] },
        { packetId: MISSING_HIGH_ID, uids: ['u2'] },
      ]);
      locked();
      await held;
      return rows;
    });
    await lockTaken;

    const input = c2cInput({ id: newPacketId(0) }); // sorts between the existing id and the missing one
    const create = store.createC2cPacket(input);
    const first = await Promise.race([create.then(() => 'created'), sleep(3_000).then(() => 'blocked')]);
    release();
    const rows = await claim;
    await create;

    expect(first).toBe('created');
    expect(rows.get(MISSING_HIGH_ID)).toStrictEqual({ packet: null, existing: [] });
    expect(rows.get(existing.id)?.packet?.id).toBe(existing.id);
    expect((await store.getPacket(input.id))?.status).toBe('unpaid');
  });

  it('leaves the pooled connection at the server default isolation after a claim', async () => {
    const one = createMysqlPool({ url: db.url, connectionLimit: 1 }); // the claim's connection, reused
    try {
      const level = async () => (await one.query<RowDataPacket[]>('SELECT @@tx_isolation AS l'))[0][0]?.['l'];
      const before = await level();
      await writeMysqlClaims(one.pool, (tx) =>
        tx.lockForClaims([{ packetId: MISSING_HIGH_ID, uids: ['u'] }]),
      );
      // SET TRANSACTION (no SESSION): only the claim transaction ran at READ COMMITTED
      expect(before).toBe('REPEATABLE-READ');
      expect(await level()).toBe(before);
    } finally {
      await one.end();
    }
  });
});
