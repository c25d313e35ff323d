/**
 * Issue 18: the signed writes finance has accepted, by signature, until their signature can no
 * longer verify, kept as widely as the finance database is shared. MySQL/MariaDB: a table with the
 * signature as its primary key, so every process on one finance database (`serve --cores N`, a
 * fleet) refuses a replay that another one took (the insert of a signature seen before changes no
 * row). SQLite: the one process that writes the file keeps them in memory (sqlite/signed-requests.ts).
 */
export interface SignedRequests {
  /** Records `signature` until `expiresAt` (ms); false when it is recorded already (a replay). */
  acceptSignature(signature: string, expiresAt: number): Promise<boolean>;
  /** Forgets the signatures whose window ended before `now` (ms); how many it forgot. */
  forgetSignatures(now: number): Promise<number>;
}
