import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKER_TIMINGS, workerTimings } from './timings.js';

describe('worker timings', () => {
  it('fill what is not given from the defaults, and keep what is', () => {
    expect(workerTimings({ pollMs: 10, bulkBatchSize: undefined })).toStrictEqual({
      ...DEFAULT_WORKER_TIMINGS,
      pollMs: 10,
    });
  });

  it('refuse a lease size that would leave a lane leasing nothing', () => {
    expect(() => workerTimings({ bulkBatchSize: 0 })).toThrow(
      /bulkBatchSize must be a whole number of at least 1/,
    );
    expect(() => workerTimings({ bulkBatchesAtOnce: 1.5 })).toThrow(/bulkBatchesAtOnce/);
    expect(() => workerTimings({ batchSize: -1 })).toThrow(/batchSize/);
  });
});
