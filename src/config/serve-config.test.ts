import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../domain/limits.js';
import { readEnv } from './env.js';
import { resolveServeConfig } from './serve-config.js';

const env = readEnv({});

describe('serve configuration', () => {
  it('takes defaults, then the environment, then flags', () => {
    expect(resolveServeConfig({ mysql: [] }, env)).toMatchObject({
      port: 8080,
      dataDir: '.redpkt',
      mysql: [],
    });
    const fromEnv = readEnv({ REDPKT_MYSQL: 'mysql://root@127.0.0.1:3306/a', REDPKT_DATA_DIR: '/tmp/x' });
    expect(resolveServeConfig({ mysql: [] }, fromEnv)).toMatchObject({
      dataDir: '/tmp/x',
      mysql: ['mysql://root@127.0.0.1:3306/a'],
    });
    expect(resolveServeConfig({ mysql: ['mysql://root@h:3306/b'], dataDir: 'd' }, fromEnv)).toMatchObject({
      dataDir: 'd',
      mysql: ['mysql://root@h:3306/b'],
    });
  });

  it('makes packet limits configurable', () => {
    const config = resolveServeConfig({ mysql: [], maxCount: '50', maxAmount: '100000' }, env);
    expect(config.limits).toEqual({ ...DEFAULT_LIMITS, maxCount: 50, maxAmount: 100_000 });
  });

  it('turns a bad flag into a USAGE error naming it', () => {
    for (const flags of [{ port: 'eighty' }, { port: '70000' }, { maxCount: '0' }, { secret: 'short' }]) {
      let code: string | undefined;
      try {
        resolveServeConfig({ mysql: [], ...flags }, env);
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('USAGE');
    }
  });
});
