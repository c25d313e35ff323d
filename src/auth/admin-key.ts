/**
 * The admin key of the `/admin` API (issue 7): a shared secret of the operators, distinct from
 * users' bearer tokens. Given with `--admin-key` / REDPKT_ADMIN_KEY, or derived from the service
 * secret as finance's signing key is (`redpkt admin-key` prints it), so one secret still
 * configures a single deployment.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MIN_ADMIN_KEY_LENGTH = 16;

export function deriveAdminKey(secret: string): string {
  return createHmac('sha256', secret).update('redpkt-admin-key').digest('base64url');
}

/** Constant-time comparison of a presented key with the expected one (hashes: equal lengths). */
export function adminKeyMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The secret `redpkt serve` generated into a data dir, without creating one (null when absent). */
export async function readDataDirSecret(dataDir: string): Promise<string | null> {
  try {
    const secret = (await readFile(join(dataDir, 'secret'), 'utf8')).trim();
    return secret.length >= 16 ? secret : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
