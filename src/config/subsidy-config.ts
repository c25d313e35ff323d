/** Issue 3: the B2C part of `serve`: how fast grant messages are booked (peak shaving). */
import { z } from 'zod';

/** Grants booked per second by default: a rain's peak reaches the database at this rate. */
export const DEFAULT_BOOKING_RATE = 2_000;

export const SubsidyFlagsShape = {
  bookingRate: z.coerce.number().int().min(1).max(1_000_000).optional(),
};

export interface SubsidyConfig {
  /** Grants per second the booking worker writes; DEFAULT_BOOKING_RATE when absent. */
  bookingRate?: number;
}

export function resolveSubsidyConfig(parsed: { bookingRate?: number | undefined }): SubsidyConfig {
  return { bookingRate: parsed.bookingRate ?? DEFAULT_BOOKING_RATE };
}
