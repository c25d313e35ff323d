/** Issue 18: finance's accepted signed writes in MySQL/MariaDB (version 7 of ./migrations.ts). */
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import type { Migration } from '../dialect.js';
import type { SignedRequests } from '../signed-requests.js';

export const MYSQL_SIGNED_REQUESTS_MIGRATION: Migration = {
  version: 7,
  name: 'issue 18: signed requests accepted once',
  statements: [
    `CREATE TABLE IF NOT EXISTS signed_requests (
      signature VARCHAR(128) NOT NULL PRIMARY KEY,
      expires_at BIGINT NOT NULL,
      KEY signed_requests_expires_at (expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin`,
  ],
};

/** One autocommitted statement each: the primary key decides between two processes. */
export function mysqlSignedRequests(pool: Pool): SignedRequests {
  return {
    async acceptSignature(signature, expiresAt) {
      const [r] = await pool.execute<ResultSetHeader>(
        'INSERT IGNORE INTO signed_requests (signature, expires_at) VALUES (?, ?)',
        [signature, expiresAt],
      );
      return r.affectedRows === 1;
    },
    async forgetSignatures(now) {
      const [r] = await pool.execute<ResultSetHeader>('DELETE FROM signed_requests WHERE expires_at < ?', [
        now,
      ]);
      return r.affectedRows;
    },
  };
}
