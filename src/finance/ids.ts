import { cryptoBytes } from '../domain/crypto-bytes.js';
import type { Random } from '../domain/random.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The provider's transaction ids: `T` + time + randomness, sortable by time. */
export function newTxnId(now = Date.now(), random?: Random): string {
  let rand = '';
  // issue 24: a seeded source in the simulation, crypto bytes otherwise
  const bytes = random ? Array.from({ length: 10 }, () => Math.floor(random() * 256)) : cryptoBytes(10);
  for (const b of bytes) rand += ALPHABET[b & 31];
  return `T${now.toString(32).toUpperCase().padStart(9, '0')}${rand}`;
}
