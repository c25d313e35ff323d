import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The provider's transaction ids: `T` + time + randomness, sortable by time. */
export function newTxnId(now = Date.now()): string {
  let rand = '';
  for (const b of randomBytes(10)) rand += ALPHABET[b & 31];
  return `T${now.toString(32).toUpperCase().padStart(9, '0')}${rand}`;
}
