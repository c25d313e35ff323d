/**
 * Subsidy tokens (DESIGN §4): what the reward issuer hands the user at once, sealed with
 * AES-256-GCM so the client can neither read nor change it, and the packet service can trust what
 * it opens without asking the issuer. Both sides import this module and derive the key from the
 * one service secret (as finance's signing key is derived in src/runtime/secret.ts).
 *
 * Format: `st1.` + base64url(iv[12] | ciphertext | tag[16]); the additional authenticated data
 * binds the version, so a token of another format or key never opens.
 *
 * Each lane has its own key (DESIGN §2: real data never sees shadow data): a token drawn in the
 * shadow (load-test) lane is sealed with the shadow key, so the real lane refuses it exactly as it
 * refuses a forged one (SUBSIDY_INVALID), and the other way round.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import type { SubsidyGrant } from '../domain/subsidy.js';

const PREFIX = 'st1.';
const AAD = Buffer.from('redpkt-subsidy-token-v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any real token (~400 chars): refuse big inputs before decoding them. */
export const MAX_SUBSIDY_TOKEN_LENGTH = 1024;

/** Which lane a token belongs to (src/runtime/lane.ts). */
export type SubsidyTokenLane = 'real' | 'shadow';

const KEY_LABEL: Readonly<Record<SubsidyTokenLane, string>> = {
  // unchanged since the first token was issued: real tokens out there stay valid
  real: 'redpkt-subsidy-token',
  shadow: 'redpkt-subsidy-token:shadow',
};

/**
 * A lane's 32-byte AES key, derived from the service secret: HMAC(secret, "redpkt-subsidy-token")
 * for the real lane, HMAC(secret, "redpkt-subsidy-token:shadow") for the shadow lane. Tokens
 * sealed with one lane's key never open with the other's.
 */
export function subsidyTokenKey(secret: string, lane: SubsidyTokenLane = 'real'): Buffer {
  return createHmac('sha256', secret).update(KEY_LABEL[lane]).digest();
}

const key = z.string().min(1).max(64);
const ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Short field names keep tokens short; the shape is checked after the tag verified. */
const Payload = z.strictObject({
  t: key,
  g: key,
  u: key,
  a: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  c: key,
  e: ms,
  i: ms,
});

export function sealSubsidyToken(tokenKey: Buffer, grant: SubsidyGrant): string {
  const payload: z.infer<typeof Payload> = {
    t: grant.tokenId,
    g: grant.outGrantNo,
    u: grant.uid,
    a: grant.amount,
    c: grant.campaign,
    e: grant.expiresAt,
    i: grant.issuedAt,
  };
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', tokenKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

const invalid = (message: string, cause?: unknown) =>
  new RedpktError('SUBSIDY_INVALID', message, cause === undefined ? undefined : { cause });

/**
 * The grant a token carries. SUBSIDY_INVALID for anything malformed, tampered with, or sealed with
 * another key (another secret, or the other lane's key). Expiry and ownership are the caller's checks (a replayed send may come after expiry).
 */
export function openSubsidyToken(tokenKey: Buffer, token: string): SubsidyGrant {
  if (token.length > MAX_SUBSIDY_TOKEN_LENGTH || !token.startsWith(PREFIX)) {
    throw invalid('not a subsidy token');
  }
  const raw = Buffer.from(token.slice(PREFIX.length), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw invalid('not a subsidy token');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey, raw.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    plain = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch (e) {
    throw invalid('the subsidy token was tampered with or is not ours', e);
  }
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(plain));
  } catch (e) {
    throw invalid('the subsidy token carries an unreadable grant', e);
  }
  return {
    tokenId: parsed.t,
    outGrantNo: parsed.g,
    uid: parsed.u,
    amount: parsed.a,
    campaign: parsed.c,
    expiresAt: parsed.e,
    issuedAt: parsed.i,
  };
}
