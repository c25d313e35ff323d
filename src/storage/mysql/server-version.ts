/**
 * The MySQL/MariaDB versions redpkt runs on: MySQL 8.0.4+ or MariaDB 10.6+, the first with
 * `JSON_TABLE`, which a claim group's packet UPDATE reads its changes with (./packet-updates.ts).
 * `serve` checks the server before it starts (src/runtime/storage-config.ts), so an older one is
 * one clear line at start-up, not a failed claim group under load.
 */
export const MIN_MYSQL = [8, 0, 4] as const;
export const MIN_MARIADB = [10, 6, 0] as const;

/** Why a server answering `SELECT VERSION()` with `version` cannot run redpkt, or undefined. */
export function serverVersionProblem(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined; // a version text we cannot read: let the server show what it can do
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  const mariadb = /mariadb/i.test(version);
  const min = mariadb ? MIN_MARIADB : MIN_MYSQL;
  for (let i = 0; i < 3; i++) {
    if (parts[i]! > min[i]!) return undefined;
    if (parts[i]! < min[i]!)
      return `${mariadb ? 'MariaDB' : 'MySQL'} ${m[0]} is too old: redpkt needs ${mariadb ? 'MariaDB' : 'MySQL'} ${min.join('.')} or later (JSON_TABLE)`;
  }
  return undefined;
}
