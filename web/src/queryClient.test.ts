import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client.ts';
import { createQueryClient } from './queryClient.ts';

describe('retrying a failed request', () => {
  const retry = createQueryClient().getDefaultOptions().queries?.retry as (
    failures: number,
    error: Error,
  ) => boolean;

  it('retries a hiccup twice: a lost connection, a 500', () => {
    const lost = new ApiError(0, 'network_error', 'The server could not be reached.');
    const failed = new ApiError(500, 'unexpected_response', 'Something went wrong.');
    expect([0, 1, 2].map((failures) => retry(failures, lost))).toEqual([true, true, false]);
    expect(retry(0, failed)).toBe(true);
  });

  it('takes an answer at once: a 4xx, or reports still being counted', () => {
    expect(retry(0, new ApiError(403, 'forbidden', 'Not for your role.'))).toBe(false);
    // The page says "Counting the reports" straight away instead of after two retries.
    expect(retry(0, new ApiError(503, 'reports_rebuilding', 'The reports are being counted.'))).toBe(false);
  });
});
