/**
 * Arrival times of the open model: iteration `i` is due at `arrivalMs(i)` after the start,
 * whatever happened to the ones before it. With a ramp the rate grows linearly from 0 to
 * `rate` over `rampMs` (arrivals so far = rate·t²/(2·ramp)), then stays at `rate`.
 */
export function arrivalMs(i: number, ratePerSec: number, rampMs: number): number {
  const perMs = ratePerSec / 1000;
  const rampArrivals = (perMs * rampMs) / 2;
  if (rampMs > 0 && i < rampArrivals) return Math.sqrt((2 * rampMs * i) / perMs);
  return rampMs + (i - rampArrivals) / perMs;
}

/** Closed model with a ramp: worker `k` of `workers` joins at an even share of the ramp. */
export function workerStartMs(k: number, workers: number, rampMs: number): number {
  return workers <= 1 ? 0 : (rampMs * k) / workers;
}
