import type { FixtureUser } from '../fixtures/fixture-user.js';
import { fixtureUser } from '../fixtures/generate-users.js';
import { readUsers } from '../fixtures/read-users.js';
import type { LoadConfig } from './load-config.js';
import { globalIndex } from './segment.js';

/**
 * Generated load users are numbered from here: `redpkt fixtures gen` makes at most 100,000,000
 * users (numbers below this), so a load run's own users never are a fixtures file's, whatever the
 * seeds (a `fixtures load` after `load` on the same target has nothing to conflict with).
 */
export const LOAD_USER_BASE = 100_000_000;

/**
 * The users of this generator: a fixtures file's lines, or generated ones from the seed. With a
 * segment, user `k` (line `k`, or generated number `k`) is segment `k mod N`'s: segments never
 * share a user.
 */
export async function loadUsers(config: LoadConfig): Promise<FixtureUser[]> {
  const seg = config.segment;
  if (config.fixtures) {
    const want = Math.max(config.claimers + 1, 5000);
    const users: FixtureUser[] = [];
    let line = 0;
    for await (const u of readUsers(config.fixtures, want * seg.count)) {
      if (line++ % seg.count === seg.index) users.push(u);
      if (users.length >= want) break;
    }
    return users;
  }
  const n = Math.max(config.claimers * 2, 200);
  return Array.from({ length: n }, (_, j) => fixtureUser(config.seed, LOAD_USER_BASE + globalIndex(seg, j)));
}
