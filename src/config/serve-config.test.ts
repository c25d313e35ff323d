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

  it('takes the gateway role with its cores as origins (issue 6)', () => {
    const config = resolveServeConfig(
      { mysql: [], role: 'gateway', core: ['http://10.0.0.1:8080/', 'https://core-2:9000'] },
      env,
    );
    expect(config).toMatchObject({
      role: 'gateway',
      cores: ['http://10.0.0.1:8080', 'https://core-2:9000'],
      coreTimeoutMs: 10_000,
      healthEveryMs: 1_000,
      claimLimiter: true,
    });
    expect(resolveServeConfig({ mysql: [], claimLimiter: false }, env).claimLimiter).toBe(false);
  });

  it('refuses a gateway without cores, a core that is not an origin or given twice, and --core elsewhere', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ role: 'gateway' }, /--role gateway needs --core/],
      [{ role: 'gateway', core: ['core-1:8080'] }, /--core core-1:8080/],
      [{ role: 'gateway', core: ['not a url'] }, /not a URL/],
      [{ role: 'gateway', core: ['http://10.0.0.1:8080/v1'] }, /origin/],
      [{ role: 'gateway', core: ['http://10.0.0.1:8080', 'http://10.0.0.1:8080/'] }, /given twice/],
      [{ role: 'gateway', core: ['http://a:1'], coreTimeoutMs: '0' }, /--core-timeout-ms must be at least 1/],
      [{ core: ['http://10.0.0.1:8080'] }, /--core is for --role gateway/],
    ];
    for (const [flags, message] of cases) {
      let error: { code?: string; message?: string } | undefined;
      try {
        resolveServeConfig({ mysql: [], ...flags }, env);
      } catch (e) {
        error = e as { code?: string; message?: string };
      }
      expect([error?.code, error?.message]).toEqual(['USAGE', expect.stringMatching(message)]);
    }
  });
});
