import { RedpktError } from '../domain/errors.js';

/**
 * The two variables `redpkt token` needs (issue 17 item 14: it runs inside `$(…)` in hand sessions,
 * so it starts fast). Read without zod, whose import alone costs more than the rest of the command;
 * the rules are env.ts's schema's for the same variables (a test keeps them equal).
 */
export interface SecretEnv {
  REDPKT_SECRET?: string;
  REDPKT_DATA_DIR?: string;
}

export function readSecretEnv(source: NodeJS.ProcessEnv = process.env): SecretEnv {
  const out: SecretEnv = {};
  const secret = source['REDPKT_SECRET'];
  if (secret !== undefined) {
    if (secret.length < 16)
      throw new RedpktError(
        'USAGE',
        'bad environment variable: REDPKT_SECRET: Too small: expected string to have >=16 characters',
      );
    out.REDPKT_SECRET = secret;
  }
  const dataDir = source['REDPKT_DATA_DIR'];
  if (dataDir !== undefined) {
    if (dataDir.length < 1)
      throw new RedpktError(
        'USAGE',
        'bad environment variable: REDPKT_DATA_DIR: Too small: expected string to have >=1 characters',
      );
    out.REDPKT_DATA_DIR = dataDir;
  }
  return out;
}
