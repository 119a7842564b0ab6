import { describe, expect, it } from 'vitest';
import { formatTime } from './progress.ts';

describe("the bar's time left", () => {
  const options = { autopaddingChar: '0' } as Parameters<typeof formatTime>[1];

  it('reads as cli-progress writes it once there is an estimate', () => {
    expect(formatTime(75, options, 5)).toBe('01m15s');
    expect(formatTime(7, options, 5)).toBe('07s');
  });

  it('is an ellipsis while there is none, not "NFs"', () => {
    for (const unknown of ['INF', 'NULL', Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(formatTime(unknown as number, options, 5)).toBe('…');
    }
  });
});
