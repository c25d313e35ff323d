/**
 * Issue 25: the database CPU of ONE service, on a database server that others use meanwhile.
 * `cpu-account.ts` reads the whole MariaDB process, which on a shared machine also counts every
 * other test suite's queries. MariaDB (10.5+, Linux) shows each connection's OS thread id
 * (`information_schema.PROCESSLIST.TID`); this sums the CPU of the threads whose connection uses
 * the service's databases (its own, `_finance`, `_shadow` …). Not counted: InnoDB's background
 * threads (page cleaner, log writer, purge), which work for every database at once, and
 * connections opened and closed within the measured run (the service's pools keep theirs).
 * Null where it cannot be read (no /proc, no TID column, a database elsewhere).
 */
import { readFileSync, readdirSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { databasePid } from './cpu-account.js';

function threadCpuMs(pid: number, tid: number | string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Every thread's CPU ms of the server process now. */
function allThreads(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const ms = threadCpuMs(pid, tid);
    if (ms !== null) out.set(Number(tid), ms);
  }
  return out;
}

/**
 * Starts counting the CPU of the connections to `database` and its siblings (`database_*`) on the
 * server at `serverUrl`; the returned function ends it: CPU ms used by those threads meanwhile.
 */
export async function dbThreadCpu(
  serverUrl: string,
  database: string,
): Promise<() => Promise<number | null>> {
  const pid = databasePid();
  if (pid === null) return () => Promise.resolve(null);
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: serverUrl });
  } catch {
    return () => Promise.resolve(null);
  }
  const ours = async (): Promise<number[] | null> => {
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        'SELECT TID FROM information_schema.PROCESSLIST WHERE DB = ? OR DB LIKE ?',
        [database, `${database.replaceAll('_', '\\_')}\\_%`],
      );
      return rows.map((r) => Number(r.TID));
    } catch {
      return null; // no TID column (MySQL, MariaDB before 10.5)
    }
  };
  const start = (await ours()) === null ? null : allThreads(pid);
  return async () => {
    try {
      const tids = start === null ? null : await ours();
      if (tids === null || start === null) return null;
      let ms = 0;
      for (const tid of new Set(tids)) ms += (threadCpuMs(pid, tid) ?? 0) - (start.get(tid) ?? 0);
      return ms;
    } finally {
      await conn.end().catch(() => {});
    }
  };
}
