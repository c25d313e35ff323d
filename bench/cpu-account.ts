/**
 * Where the CPU of a measured run went, per claim: this process (the claimers), the service's
 * process, and the database server's process when it runs on this machine. Read from /proc (Linux);
 * elsewhere, or for a remote database, the missing parts are null.
 *
 * The point (issue 6): with 1,000 closed-loop claimers the mean latency is 1,000 / throughput
 * (Little's law), and on one machine the throughput cannot exceed cores / (CPU per claim, all
 * processes together). This turns the p99 goal into a CPU budget that anyone can check.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc times are in these ticks (100 on every mainstream kernel build). */
const TICKS_PER_SEC = 100;

export function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: fields are counted after its closing paren
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SEC;
  } catch {
    return null;
  }
}

/**
 * The local MariaDB/MySQL server's pid, if one runs here and /proc can be read: the first one
 * found, which is the bench's own on the development machines (one server); with several servers,
 * or other clients using it meanwhile, its figure is indicative only.
 */
export function databasePid(): number | null {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
      } catch {
        // a process that ended while we looked
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

export interface CpuPerClaim {
  /** CPU µs per claim of the claimers' process (this one). */
  claimers: number;
  service: number | null;
  database: number | null;
  /**
   * Issue 25: the database CPU of the service's own connections only (./db-thread-cpu.ts), where
   * it can be told apart; `database` is the whole server's, other users of it included.
   */
  databaseOwn?: number | null;
  /** All of them together, and the claims/s this machine's cores would allow at that cost. */
  total: number | null;
  ceilingPerSec: number | null;
}

/** Starts counting; the returned function ends it and divides by the claims made meanwhile. */
export function cpuAccount(
  servicePid: number | readonly number[] | undefined,
  cores: number,
): (claims: number) => CpuPerClaim {
  const dbPid = databasePid();
  const self0 = process.cpuUsage();
  // issue 21: a service of several processes (supervisor + cores, HAProxy + cores) is their sum
  const pids = servicePid === undefined ? [] : typeof servicePid === 'number' ? [servicePid] : servicePid;
  const serviceCpuMs = () => {
    let sum = 0;
    for (const pid of pids) {
      const ms = procCpuMs(pid);
      if (ms === null) return null;
      sum += ms;
    }
    return sum;
  };
  const service0 = servicePid === undefined ? null : serviceCpuMs();
  const db0 = dbPid === null ? null : procCpuMs(dbPid);
  return (claims) => {
    const n = Math.max(1, claims);
    const self = process.cpuUsage(self0);
    const perClaim = (ms: number | null, ms0: number | null) =>
      ms === null || ms0 === null ? null : Math.round(((ms - ms0) * 1000) / n);
    const claimers = Math.round((self.user + self.system) / n);
    const service = servicePid === undefined ? null : perClaim(serviceCpuMs(), service0);
    const database = dbPid === null ? null : perClaim(procCpuMs(dbPid), db0);
    const total = service === null || database === null ? null : claimers + service + database;
    return {
      claimers,
      service,
      database,
      total,
      ceilingPerSec: total ? Math.round((cores * 1_000_000) / total) : null,
    };
  };
}
