import { describe, expect, it } from 'vitest';
import { reconWindow } from './window.js';

describe('the reconciliation window', () => {
  it('puts 19:59:59.999 and 20:00:00.000 Asia/Shanghai in hours 19 and 20', () => {
    const h19 = reconWindow('2026-02-11', 19, 'Asia/Shanghai');
    const h20 = reconWindow('2026-02-11', 20, 'Asia/Shanghai');
    const before = Date.UTC(2026, 1, 11, 11, 59, 59, 999);
    const at = Date.UTC(2026, 1, 11, 12, 0, 0, 0);
    expect(before >= h19.fromMs && before < h19.toMs).toBe(true);
    expect(at >= h20.fromMs && at < h20.toMs).toBe(true);
    expect(h19.toMs).toBe(h20.fromMs);
    expect(h20.toMs - h20.fromMs).toBe(3_600_000);
  });

  it('spans a calendar day in the zone, 23 or 25 hours across a DST change', () => {
    const day = reconWindow('2026-02-11', null, 'Asia/Shanghai');
    expect(day.fromMs).toBe(Date.UTC(2026, 1, 10, 16));
    expect(day.toMs).toBe(Date.UTC(2026, 1, 11, 16));
    const spring = reconWindow('2026-03-08', null, 'America/New_York');
    expect(spring.toMs - spring.fromMs).toBe(23 * 3_600_000);
    expect(reconWindow('2026-02-11', 23, 'UTC').toMs).toBe(Date.UTC(2026, 1, 12));
  });

  it('refuses a date that is not on the calendar, an hour out of range and an unknown zone', () => {
    expect(() => reconWindow('2026-02-30', null)).toThrow(/--date/);
    expect(() => reconWindow('11/02/2026', null)).toThrow(/--date/);
    expect(() => reconWindow('2026-02-11', 24)).toThrow(/--hour/);
    expect(() => reconWindow('2026-02-11', null, 'Mars/Olympus')).toThrow(/--tz/);
  });
});
