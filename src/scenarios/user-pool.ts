import { issueToken } from '../auth/tokens.js';
import { RedpktError } from '../domain/errors.js';
import type { FixtureUser } from '../fixtures/fixture-user.js';

/**
 * The users a load run acts as, with their bearer tokens minted up front (so signing is not
 * timed). Iteration `i` gets a sender and `m` claimers that are distinct from each other;
 * successive iterations walk through the pool so load spreads over many users.
 */
export interface UserPool {
  readonly size: number;
  sender(iteration: number): string;
  claimers(iteration: number, m: number): string[];
  /** The `authorization` header value for a uid of the pool. */
  auth(uid: string): string;
}

export async function createUserPool(
  users: readonly FixtureUser[],
  secret: string | undefined,
): Promise<UserPool> {
  if (users.length === 0) throw new RedpktError('USAGE', 'the load run has no users');
  const headers = new Map<string, string>();
  for (const u of users) {
    if (headers.has(u.uid)) continue;
    const token = u.token ?? (secret ? await issueToken(secret, u.uid) : undefined);
    if (!token) {
      throw new RedpktError(
        'USAGE',
        `user ${u.uid} has no token: pass --secret (the target's signing secret) or fixtures with tokens`,
      );
    }
    headers.set(u.uid, `Bearer ${token}`);
  }
  const all = [...headers.keys()];
  const okUids = new Set(users.filter((u) => u.realname !== 'fail').map((u) => u.uid));
  // Senders pay at the cashier: prefer users whose real-name check passes.
  const senders = all.filter((uid) => okUids.has(uid));
  const senderList = senders.length > 0 ? senders : all;
  return {
    size: all.length,
    sender: (i) => senderList[(i * 7919) % senderList.length] ?? '',
    claimers(i, m) {
      if (m > all.length)
        throw new RedpktError(
          'USAGE',
          `--claimers ${m} needs at least ${m} distinct users; the pool has ${all.length}`,
        );
      const out: string[] = [];
      const base = (i * m) % all.length;
      for (let j = 0; j < m; j++) out.push(all[(base + j) % all.length] ?? '');
      return out;
    },
    auth(uid) {
      const h = headers.get(uid);
      if (!h) throw new RedpktError('INTERNAL', `no token for ${uid}`);
      return h;
    },
  };
}
