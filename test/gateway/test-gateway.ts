/** A gateway for tests: `serve --role gateway` in process, on a free port, quiet. */
import type { ServeConfig } from '../../src/config/serve-config.js';
import { startGateway, type RunningGateway } from '../../src/runtime/start-gateway.js';

/**
 * In front of `cores`, checking tokens signed with `secret`; no database or Redis of its own (an
 * in-process claim limiter unless `claimLimiter: false`), cores looked at every 100 ms and given
 * 2 s to answer unless `extra` says otherwise.
 */
export function startTestGateway(
  cores: string[],
  secret: string,
  extra: Partial<ServeConfig> = {},
): Promise<RunningGateway> {
  return startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: '/nonexistent-redpkt-gateway-test',
      mysql: [],
      redis: undefined,
      secret,
      cores,
      coreTimeoutMs: 2_000,
      healthEveryMs: 100,
      ...extra,
    },
    { log: () => {} },
  );
}
