import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDataDirSecret } from '../auth/admin-key.js';
import { RedpktError } from '../domain/errors.js';

/** The service secret: given, or read from `<dataDir>/secret`, or generated there (mode 0600). */
export async function loadOrCreateSecret(dataDir: string, given?: string): Promise<string> {
  if (given) return given;
  const file = join(dataDir, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 16) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw e;
  }
}

/**
 * Issue 17: the secret of a service that already runs, for the commands that only use it
 * (`token`, `admin-key`, the switch commands with `--target`): given, or read from
 * `<dataDir>/secret`; never generated (a new secret would sign what the service refuses).
 */
export async function readServiceSecret(
  dataDir: string,
  given: string | undefined,
  what: string,
): Promise<string> {
  if (given) return given;
  const secret = await readDataDirSecret(dataDir);
  if (secret) return secret;
  throw new RedpktError(
    'USAGE',
    `${what} needs the service secret and there is none in ${join(dataDir, 'secret')}: pass --data-dir (the one \`redpkt serve\` uses), --secret or REDPKT_SECRET`,
  );
}

/** The key finance signs callbacks and service requests with, derived so one secret configures both. */
export function financeSignSecret(secret: string): string {
  return createHmac('sha256', secret).update('redpkt-finance-signing').digest('base64url');
}
