/**
 * `bench:fleet`'s diagnosis of where a variant's CPU goes (issue 21): each of the service's
 * processes' CPU µs per claim (the supervisor with its gateway, each core, HAProxy), and MariaDB's
 * own counters per claim (statements by kind, commits, row lock waits, log fsyncs) from
 * `SHOW GLOBAL STATUS` deltas. Measured around the whole `runHttp` (its warm-up included); the
 * counters are the whole server's, so other users of it meanwhile count too: indicative, to be
 * compared between the variants of one run on a quiet server.
 */
import type mysql from 'mysql2/promise';
import type { BenchServer } from './claim-http.js';
import { procCpuMs } from './cpu-account.js';
import { dbThreadCpu } from './db-thread-cpu.js';

const COUNTERS = [
  'Questions',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_delete',
  'Com_commit',
  'Com_rollback',
  'Innodb_row_lock_waits',
  'Innodb_row_lock_time',
  'Innodb_os_log_fsyncs',
  'Innodb_rows_read',
] as const;

export interface Diagnosis {
  /** CPU µs per claim of each process of the service, by name. */
  processes: Record<string, number | null>;
  /** Each counter's increase per claim (row lock time: ms per 1,000 claims). */
  database: Record<string, number>;
  /**
   * Claims the cores' workers transferred meanwhile, per claim (from the database: the gateway's
   * /metrics are its own): a slower variant's window holds more of the worker's transfers.
   */
  transfersPerClaim: number | null;
  /**
   * From the start until every claim is transferred (its finance call and books included), CPU µs
   * per claim of the service's processes and of MariaDB's threads serving its connections (those
   * open at the start and still at the end, ./db-thread-cpu.ts): the same work per claim in every variant,
   * whatever share of the transfers the worker made while the claims ran.
   */
  settled?: { seconds: number; service: number | null; database: number | null };
}

async function transferred(admin: mysql.Connection, db: string | undefined): Promise<number | null> {
  if (!db) return null;
  const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${db}\`.claims WHERE status = 'transferred'`);
  return Number((rows as { n: number }[])[0]!.n);
}

async function counters(admin: mysql.Connection): Promise<Map<string, number>> {
  const [rows] = await admin.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (?)`, [COUNTERS]);
  return new Map(
    (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]),
  );
}

export async function startDiagnosis(
  admin: mysql.Connection,
  server: BenchServer & { pidNames?: readonly string[] },
): Promise<(claims: number) => Promise<Diagnosis>> {
  // MariaDB's CPU for the service's own connections (others use the server meanwhile)
  const dbOwn = server.database
    ? await dbThreadCpu(server.database.serverUrl, server.database.name)
    : undefined;
  const started = performance.now();
  const pids = server.pids ?? (server.pid === undefined ? [] : [server.pid]);
  const names = server.pidNames ?? pids.map((p) => String(p));
  const cpu0 = pids.map((p) => procCpuMs(p));
  const db0 = await counters(admin);
  const t0 = await transferred(admin, server.database?.name);
  return async (claims) => {
    const n = Math.max(1, claims);
    const db1 = await counters(admin);
    const t1 = await transferred(admin, server.database?.name);
    const processes: Record<string, number | null> = {};
    pids.forEach((p, i) => {
      const a = cpu0[i];
      const b = procCpuMs(p);
      processes[names[i]!] =
        a === null || a === undefined || b === null ? null : Math.round(((b - a) * 1000) / n);
    });
    const database: Record<string, number> = {};
    for (const k of COUNTERS) {
      const d = (db1.get(k) ?? 0) - (db0.get(k) ?? 0);
      database[k] = Math.round((k === 'Innodb_row_lock_time' ? (d * 1000) / n : d / n) * 1000) / 1000;
    }
    const transfersPerClaim = t0 === null || t1 === null ? null : Math.round(((t1 - t0) / n) * 1000) / 1000;
    const db = server.database?.name;
    if (!db || !dbOwn) return { processes, database, transfersPerClaim };
    // every claim of the database transferred (the warm-up's too), at most 5 minutes
    for (let i = 0; i < 3000; i++) {
      const [rows] = await admin.query(
        `SELECT COUNT(*) AS n FROM \`${db}\`.claims WHERE status <> 'transferred'`,
      );
      if (Number((rows as { n: number }[])[0]!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const perClaim = (a: number | null | undefined, b: number | null) =>
      a === null || a === undefined || b === null ? null : Math.round(((b - a) * 1000) / n);
    let service: number | null = 0;
    pids.forEach((p, i) => {
      const d = perClaim(cpu0[i], procCpuMs(p));
      service = d === null || service === null ? null : service + d;
    });
    const settled = {
      seconds: Math.round((performance.now() - started) / 100) / 10,
      service,
      database: perClaim(0, await dbOwn()),
    };
    return { processes, database, transfersPerClaim, settled };
  };
}
