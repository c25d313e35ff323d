/**
 * Issue 18: finance's accepted signed writes with the SQLite store, in this process's memory.
 * One process writes a SQLite file (serve refuses `--cores N` without `--mysql`), so its memory
 * is exactly as shared as the database; a table would add a write (and its fsync) to every
 * signed call, a claim's transfer included. Bounded by the write rate times the window.
 */
import type { SignedRequests } from '../signed-requests.js';

export function sqliteSignedRequests(): SignedRequests {
  const seen = new Map<string, number>(); // signature -> when it can no longer verify (ms)
  return {
    async acceptSignature(signature, expiresAt) {
      if (seen.has(signature)) return false;
      seen.set(signature, expiresAt);
      return true;
    },
    async forgetSignatures(now) {
      let forgotten = 0;
      for (const [signature, until] of seen) if (until < now && seen.delete(signature)) forgotten++;
      return forgotten;
    },
  };
}
