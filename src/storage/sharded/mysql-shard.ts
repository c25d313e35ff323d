/**
 * Issue 6: one shard of the sharded packet store: a plain MySQL packet store over its own pool,
 * plus the few single-database steps the sharded store composes into cross-shard operations
 * (guards taken on their own shard, the two halves of a cross-shard subsidy credit), and the
 * shard's own tables (the token guard, the shard's identity).
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Claim } from '../../domain/claim.js';
import { RedpktError } from '../../domain/errors.js';
import type { PacketStore } from '../../domain/ports.js';
import type { GrantGuard, SubsidyBalance, SubsidyCredit } from '../../domain/subsidy.js';
import { mysqlDialect, openMysqlPool } from '../mysql/mysql-store.js';
import { readShardIdentity } from '../mysql/shard-identity.js';
import { createPacketStore } from '../shared/packet-store.js';
import { MYSQL_SWITCH_DDL } from '../switches/migrations.js';
import type { StoreDialect, StoreTx } from '../shared/store-dialect.js';

export interface BookedCredit {
  credit: SubsidyCredit;
  balance: SubsidyBalance;
  /** false when the credit of that claim was already there (nothing written). */
  created: boolean;
}

export interface Shard {
  /** The shard's place in the URL list. */
  index: number;
  store: PacketStore;
  /** Takes the grant guards (keyed by out_grant_no) kept on this shard; returns every one of them. */
  takeGrantGuards(guards: readonly GrantGuard[]): Promise<GrantGuard[]>;
  /** Takes the token guards (keyed by token id) kept on this shard; returns every one of them. */
  takeTokenGuards(guards: readonly GrantGuard[]): Promise<GrantGuard[]>;
  subsidyCredit(claimNo: string): Promise<SubsidyCredit | null>;
  /** The balance half of a cross-shard credit: the credit row (unique by claimNo) and the balance. */
  bookCredit(credit: SubsidyCredit, now: number): Promise<BookedCredit>;
  /** The claim half: the claim becomes `transferred` (unchanged when it is already). */
  markCredited(claimNo: string, now: number): Promise<Claim>;
  /** The packet store's migrations, the shard's own tables, and the check that it is this shard. */
  migrate(shards: number, now: number): Promise<void>;
  /**
   * USAGE when the database says it is another shard, or says nothing (no identity stamp yet)
   * while it already holds data and is given as one of several shards (see `checkIdentity`).
   */
  checkIdentity(shards: number): Promise<void>;
  close(): Promise<void>;
}

const MOCKED_ORDERS_DDL = MYSQL_SWITCH_DDL.filter((statement) =>
  statement.includes('CREATE TABLE IF NOT EXISTS ops_mocked_orders'),
);

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/**
 * Created by the sharded store only (a single database needs neither: there the subsidies' primary
 * key on token_id refuses a token booked twice). Re-runnable, like every migration statement.
 */
const SHARD_TABLES = [
  // One owner (uid) per token id across every shard: a token replayed under another uid or grant
  // number cannot be booked on the other uid's shard as well.
  `CREATE TABLE IF NOT EXISTS subsidy_token_guard (
    token_id VARCHAR(64) NOT NULL,
    out_grant_no VARCHAR(64) NOT NULL,
    uid VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_id)
  ) ${TABLE_OPTIONS}`,
  // Which shard of how many this database is: written once, checked on every migrate.
  `CREATE TABLE IF NOT EXISTS shard_identity (
    id TINYINT NOT NULL,
    shard INT NOT NULL,
    shards INT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (id)
  ) ${TABLE_OPTIONS}`,
];

export async function openMysqlShard(index: number, url: string): Promise<Shard> {
  return shardOver(index, await openMysqlPool({ url }));
}

function shardOver(index: number, pool: Pool): Shard {
  const dialect = mysqlDialect(pool);
  const store = createPacketStore(dialect);
  return {
    index,
    store,
    takeGrantGuards: (guards) =>
      guards.length === 0 ? Promise.resolve([]) : dialect.write((tx) => tx.lockGrantGuards(guards)),
    takeTokenGuards: (guards) => takeTokenGuards(pool, guards),
    subsidyCredit: (claimNo) => dialect.reads.subsidyCredit(claimNo),
    bookCredit: (credit, now) => retryUniqueRace(dialect, () => bookCreditInTx(dialect, credit, now)),
    markCredited: (claimNo, now) => dialect.write((tx) => markCreditedInTx(tx, claimNo, now)),
    async migrate(shards, now) {
      await store.migrate();
      for (const statement of SHARD_TABLES) await pool.query(statement);
      // the recon reads run the same SQL on every shard (./sharded-recon-store.ts); mocked
      // orders are recorded by the switch store on the first shard, the others keep the table empty
      for (const statement of MOCKED_ORDERS_DDL) await pool.query(statement);
      // before the stamp: a database without one that already holds data is not stamped
      await checkIdentity(pool, index, shards);
      await pool.query(
        'INSERT INTO shard_identity (id, shard, shards, created_at) VALUES (1, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id',
        [index, shards, now],
      );
      await checkIdentity(pool, index, shards);
    },
    checkIdentity: (shards) => checkIdentity(pool, index, shards),
    close: () => store.close(),
  };
}

/** A guard row is never updated: the first insert owns the key, later ones read the owner back. */
async function takeTokenGuards(pool: Pool, guards: readonly GrantGuard[]): Promise<GrantGuard[]> {
  if (guards.length === 0) return [];
  const sorted = [...guards].sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1));
  await pool.query(
    `INSERT INTO subsidy_token_guard (token_id, out_grant_no, uid, created_at) VALUES ?
     ON DUPLICATE KEY UPDATE token_id = token_id`,
    [sorted.map((g) => [g.tokenId, g.outGrantNo, g.uid, g.createdAt])],
  );
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT token_id, out_grant_no, uid, created_at FROM subsidy_token_guard WHERE token_id IN (?)',
    [sorted.map((g) => g.tokenId)],
  );
  return rows.map((r) => ({
    tokenId: String(r['token_id']),
    outGrantNo: String(r['out_grant_no']),
    uid: String(r['uid']),
    createdAt: Number(r['created_at']),
  }));
}

async function retryUniqueRace<T>(dialect: StoreDialect, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    // a racing credit of the same claim inserted first: the second run finds it
    if (!dialect.isUniqueViolation(e)) throw e;
    return work();
  }
}

/** Lock order as in ../shared/subsidy-balance.ts: the balance first, then the credit is read. */
function bookCreditInTx(dialect: StoreDialect, credit: SubsidyCredit, now: number): Promise<BookedCredit> {
  return dialect.write(async (tx) => {
    const before = await tx.lockSubsidyBalance(credit.uid, now);
    const existing = await tx.subsidyCredit(credit.claimNo);
    if (existing) return { credit: existing, balance: before, created: false };
    const balance = { ...before, available: before.available + credit.amount, updatedAt: now };
    await tx.insertSubsidyCredit(credit);
    await tx.updateSubsidyBalance(balance);
    return { credit, balance, created: true };
  });
}

async function markCreditedInTx(tx: StoreTx, claimNo: string, now: number): Promise<Claim> {
  const claim = await tx.lockClaimForCredit(claimNo);
  if (!claim) throw new RedpktError('ORDER_NOT_FOUND', `no claim ${claimNo}`, { details: { claimNo } });
  if (claim.status === 'transferred') return claim;
  if (!(await tx.markClaimCredited(claimNo, claim.status, now))) {
    throw new RedpktError('INTERNAL', `claim ${claimNo} changed while locked; nothing was written`, {
      details: { claimNo },
    });
  }
  return { ...claim, status: 'transferred', updatedAt: now };
}

/**
 * The tables the packet store writes business rows into (packets and their orders, claims, tasks;
 * users' subsidies, balances, credits, withdrawals; grant guards). Any row in one of them means
 * the database has been used, and its rows sit where ONE database puts them.
 */
const DATA_TABLES = [
  'packets',
  'payment_orders',
  'claims',
  'refund_orders',
  'tasks',
  'alerts',
  'subsidy_grant_guard',
  'subsidies',
  'subsidy_balances',
  'subsidy_credits',
  'withdrawals',
  'b2c_returns',
];

/** The data tables of this database that hold at least one row. */
async function tablesWithRows(pool: Pool): Promise<string[]> {
  const [present] = await pool.query<RowDataPacket[]>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)',
    [DATA_TABLES],
  );
  const names = present.map((r) => String(r['name'])).filter((n) => DATA_TABLES.includes(n));
  if (names.length === 0) return [];
  // the names come from DATA_TABLES, never from input
  const [rows] = await pool.query<RowDataPacket[]>(
    names
      .map((n) => `SELECT '${n}' AS name FROM DUAL WHERE EXISTS (SELECT 1 FROM \`${n}\`)`)
      .join(' UNION ALL '),
  );
  return rows.map((r) => String(r['name']));
}

/**
 * The database must be the shard it is given as. Its `shard_identity` row, written by the sharded
 * store's first migrate, says which; a different one refuses to start (USAGE).
 *
 * No row: a fresh database (stamped by migrate), OR a database the single-database store used
 * (one `--mysql` URL: that store writes no identity). Given as one of several shards, the latter
 * would be stamped "shard i of N" silently, and every uid, out_grant_no and token the hash sends
 * to another shard would lose its rows: balances and subsidies orphaned, a used subsidy token
 * booked and spent again on the other shard. So a database without an identity that holds any
 * business row is refused as one of several shards; as the only shard it is what it always was.
 * (Moving one database's data to several shards is a data migration, not a flag. A database
 * that really is shard i of N and lacks the row, e.g. stamped by hand after such a migration, gets
 * `INSERT INTO shard_identity (id, shard, shards, created_at) VALUES (1, i, N, <ms>)`, i from 0.)
 */
async function checkIdentity(pool: Pool, shard: number, shards: number): Promise<void> {
  const found = await readShardIdentity(pool);
  if (!found) {
    if (shards > 1) await refuseUsedDatabase(pool, shard, shards);
    return;
  }
  if (found.shard !== shard || found.shards !== shards) {
    throw new RedpktError(
      'USAGE',
      `the database given as shard ${shard + 1} of ${shards} is shard ${found.shard + 1} of ` +
        `${found.shards}: the --mysql URLs must stay the same, in the same order, for the life of the data`,
      { details: { shard, shards, found } },
    );
  }
}

async function refuseUsedDatabase(pool: Pool, shard: number, shards: number): Promise<void> {
  const used = await tablesWithRows(pool);
  if (used.length === 0) return;
  throw new RedpktError(
    'USAGE',
    `the database given as shard ${shard + 1} of ${shards} has no shard identity but already holds data ` +
      `(${used.join(', ')}): it was used by the single-database store (one --mysql URL), and as one of ` +
      `${shards} shards most users' rows would be looked for on the other shards. Start it with its one URL, ` +
      `or move its rows to their shards first`,
    { details: { shard, shards, tablesWithRows: used } },
  );
}
