import { describe, expect, it } from 'vitest';
import { dashboardOf, resolveLoadConfig } from '../../src/scenarios/load-config.js';

describe('--dashboard flags', () => {
  it('are off by default, and take port 5665 unless told', () => {
    expect(resolveLoadConfig('c2c', {}).dashboard).toBeUndefined();
    expect(resolveLoadConfig('c2c', { dashboard: true }).dashboard).toEqual({ port: 5665 });
    expect(resolveLoadConfig('c2c', { dashboard: true, dashboardPort: '0' }).dashboard).toEqual({ port: 0 });
  });

  it('refuse a port without --dashboard, and a port out of range, as usage errors', () => {
    expect(() => resolveLoadConfig('c2c', { dashboardPort: '8080' })).toThrow(
      /only applies with --dashboard/,
    );
    expect(() => resolveLoadConfig('c2c', { dashboard: true, dashboardPort: '70000' })).toThrow(
      /at most 65535/,
    );
  });
});

describe("load merge's --dashboard flags", () => {
  it('follow the same rules as load', () => {
    expect(dashboardOf({})).toBeUndefined();
    expect(dashboardOf({ dashboard: true })).toEqual({ port: 5665 });
    expect(dashboardOf({ dashboard: true, dashboardPort: '0' })).toEqual({ port: 0 });
    expect(() => dashboardOf({ dashboardPort: '8080' })).toThrow(/only applies with --dashboard/);
    expect(() => dashboardOf({ dashboard: true, dashboardPort: 'x' })).toThrow(/whole number/);
  });
});
