import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { resolveServeConfig } from './serve-config.js';
import { DEFAULT_BOOKING_RATE } from './subsidy-config.js';

const env = readEnv({});

describe('serve configuration: --booking-rate (issue 3)', () => {
  it('books DEFAULT_BOOKING_RATE grants a second unless told otherwise', () => {
    expect(resolveServeConfig({ mysql: [] }, env).bookingRate).toBe(DEFAULT_BOOKING_RATE);
    expect(resolveServeConfig({ mysql: [], bookingRate: '500' }, env).bookingRate).toBe(500);
  });

  it('refuses a rate that is not a positive whole number as a usage error', () => {
    for (const bad of ['0', '-5', '1.5', 'fast']) {
      expect(() => resolveServeConfig({ mysql: [], bookingRate: bad }, env)).toThrow(
        expect.objectContaining({ code: 'USAGE' }),
      );
    }
  });
});
