import { describe, expect, it } from 'vitest';
import { resolveLoadConfig } from '../../src/scenarios/load-config.js';
import { scenarioEntry } from '../../src/scenarios/registry.js';

describe('load configuration', () => {
  it('defaults to a short closed-model run a newcomer can start with no flags', () => {
    const c = resolveLoadConfig('c2c', {});
    expect(c).toMatchObject({
      target: undefined,
      packets: 50,
      shares: 10,
      claimers: 20,
      model: { kind: 'closed', concurrency: 10 },
      connections: 200,
      rampMs: 0,
      expire: undefined,
      seed: 'redpkt',
    });
  });

  it('runs for a duration with no packet limit, in the open model when given a rate', () => {
    const c = resolveLoadConfig('c2c', {
      duration: '60s',
      rate: '200/s',
      ramp: '10s',
      maxInFlight: '50',
      claimers: '5',
    });
    expect(c).toMatchObject({
      packets: undefined,
      durationMs: 60_000,
      rampMs: 10_000,
      model: { kind: 'open', ratePerSec: 200, maxInFlight: 50 },
    });
    expect(c.connections).toBe(250);
  });

  it('takes the target secret from the flag, else from the environment, and refuses it without a target', () => {
    expect(resolveLoadConfig('c2c', { target: 'http://h:1' }, { secret: 'from-env-0123456789' }).secret).toBe(
      'from-env-0123456789',
    );
    expect(
      resolveLoadConfig(
        'c2c',
        { target: 'http://h:1', secret: 'from-flag-0123456789' },
        { secret: 'e'.repeat(16) },
      ).secret,
    ).toBe('from-flag-0123456789');
    expect(resolveLoadConfig('c2c', {}, { secret: 'from-env-0123456789' }).secret).toBeUndefined();
    expect(() => resolveLoadConfig('c2c', { secret: 's'.repeat(16) })).toThrow(/--secret is for --target/);
  });

  it('refuses bad values as usage errors', () => {
    const bad: Array<Record<string, unknown>> = [
      { packets: '0' },
      { packets: '1.5' },
      { shares: 'ten' },
      { concurrency: '2', rate: '5/s' },
      { target: 'not a url' },
      { secret: 'short', target: 'http://h:1' },
      { expireAfter: '5s' },
      { expire: true, expireAfter: '1500ms' },
      { ramp: 'later' },
    ];
    for (const flags of bad)
      expect(() => resolveLoadConfig('c2c', flags), JSON.stringify(flags)).toThrow(
        expect.objectContaining({ code: 'USAGE' }),
      );
  });

  it('knows the c2c steps (with refund under --expire) and the b2c steps', () => {
    const base = { shares: 1, claimers: 1, seed: 's', runId: 'r', activeTimeoutMs: 1 };
    expect(scenarioEntry('c2c').stepNames(base)).toEqual([
      'create',
      'pay',
      'wait-active',
      'claim',
      'claim-list',
      'flow',
    ]);
    expect(
      scenarioEntry('c2c').stepNames({ ...base, expire: { afterSec: 1, refundTimeoutMs: 1 } }),
    ).toContain('refund');
    expect(scenarioEntry('b2c').stepNames(base)).toEqual([
      'draw',
      'subsidies',
      'send',
      'claim',
      'claim-list',
      'flow',
    ]);
    expect(() => scenarioEntry('toString')).toThrow(/unknown scenario/);
  });
});
