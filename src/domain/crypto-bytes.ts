/**
 * Random bytes for ids (claim numbers, order numbers, the simulated provider's transaction ids),
 * from the crypto generator, fetched 4 KiB at a time (issue 25). `randomBytes(10)` per id was a
 * call into the crypto binding each time: in a hot claim run's profile of `redpkt serve`, the
 * simulated finance's transaction ids alone (`randomFillSync` under `newTxnId`) were ~6% of the
 * service's CPU. Node's own `randomUUID` keeps such a cache for the same reason. The bytes are the
 * same CSPRNG's; a block is handed out once (never refilled in place, so a caller's bytes never
 * change under it).
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const BLOCK = 4096;
let block = new Uint8Array(0);
let at = 0;

/** `n` crypto-random bytes (a view of a block of them; read it, do not keep it for long). */
export function cryptoBytes(n: number): Uint8Array {
  if (n > BLOCK / 4) return randomBytes(n);
  if (at + n > block.length) {
    block = randomFillSync(new Uint8Array(BLOCK));
    at = 0;
  }
  const out = block.subarray(at, at + n);
  at += n;
  return out;
}
