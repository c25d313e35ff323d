import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { readSecretEnv } from './secret-env.js';

describe('readSecretEnv (token start-up without zod)', () => {
  const cases: Record<string, string>[] = [
    {},
    { REDPKT_SECRET: 'x'.repeat(16), REDPKT_DATA_DIR: '/srv/redpkt' },
    { REDPKT_SECRET: 'short' },
    { REDPKT_DATA_DIR: '' },
    { REDPKT_SECRET: 'y'.repeat(15), REDPKT_DATA_DIR: 'd' },
  ];
  it.each(cases)('agrees with readEnv on %o: the same values, the same refusals', (env) => {
    const viaZod = (() => {
      try {
        const e = readEnv(env);
        return { ok: { REDPKT_SECRET: e.REDPKT_SECRET, REDPKT_DATA_DIR: e.REDPKT_DATA_DIR } };
      } catch (e) {
        return { error: (e as Error).message };
      }
    })();
    const light = (() => {
      try {
        const e = readSecretEnv(env);
        return { ok: { REDPKT_SECRET: e.REDPKT_SECRET, REDPKT_DATA_DIR: e.REDPKT_DATA_DIR } };
      } catch (e) {
        return { error: (e as Error).message };
      }
    })();
    expect(light).toEqual(viaZod);
  });
});
