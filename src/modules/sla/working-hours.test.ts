import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, localTimeToInstant, workingMinutesBetween } from './working-hours.ts';

const weekdays = [1, 2, 3, 4, 5];
const nineToFive = (timeZone: string) => ({
  timeZone,
  workingDays: weekdays,
  workStartMinute: 9 * 60,
  workEndMinute: 17 * 60,
});

describe('addWorkingMinutes', () => {
  it('counts an MQL at 17:30 on a Friday (HQ time) with a 4-working-hour SLA as due 12:30 on Monday', () => {
    // The MQL arrives at 17:30 on Friday 2026-01-09 in Berlin (CET, UTC+1) = 16:30Z. The rep works
    // 09:00–17:00 Mon–Fri in London (UTC+0): 30 working minutes are left on Friday, 3 h 30 on Monday.
    const due = addWorkingMinutes(new Date('2026-01-09T16:30:00Z'), 240, nineToFive('Europe/London'));
    expect(due.toISOString()).toBe('2026-01-12T12:30:00.000Z');
  });

  it('starts the clock on Monday 09:00 when the rep’s own day is already over at 17:30 on Friday', () => {
    // Friday 2026-01-09 17:30 in New York (EST, UTC-5) = 22:30Z → Monday 09:00 + 4 h = 13:00 EST = 18:00Z.
    const due = addWorkingMinutes(new Date('2026-01-09T22:30:00Z'), 240, nineToFive('America/New_York'));
    expect(due.toISOString()).toBe('2026-01-12T18:00:00.000Z');
  });

  it('moves with daylight saving: the working window follows the local clock across the change', () => {
    // US clocks go forward on Sunday 2026-03-08: Friday is UTC-5, Monday UTC-4.
    // Friday 16:30 EST (21:30Z) + 4 h = 30 min Friday + 3 h 30 Monday = 12:30 EDT = 16:30Z.
    const newYork = addWorkingMinutes(new Date('2026-03-06T21:30:00Z'), 240, nineToFive('America/New_York'));
    expect(newYork.toISOString()).toBe('2026-03-09T16:30:00.000Z');
    // Europe changes on 2026-03-29: Friday 27th 16:30 CET (15:30Z) → Monday 30th 12:30 CEST = 10:30Z.
    const berlin = addWorkingMinutes(new Date('2026-03-27T15:30:00Z'), 240, nineToFive('Europe/Berlin'));
    expect(berlin.toISOString()).toBe('2026-03-30T10:30:00.000Z');
  });

  it('counts time inside the working day directly and carries the rest to the next working day', () => {
    const cal = nineToFive('UTC');
    // Tuesday 10:00 + 3 h = 13:00 the same day.
    expect(addWorkingMinutes(new Date('2026-01-06T10:00:00Z'), 180, cal).toISOString()).toBe(
      '2026-01-06T13:00:00.000Z',
    );
    // Tuesday 15:00 + 4 h = 2 h today, 2 h Wednesday → 11:00.
    expect(addWorkingMinutes(new Date('2026-01-06T15:00:00Z'), 240, cal).toISOString()).toBe(
      '2026-01-07T11:00:00.000Z',
    );
    // Before the day starts: Tuesday 06:00 + 30 min = 09:30.
    expect(addWorkingMinutes(new Date('2026-01-06T06:00:00Z'), 30, cal).toISOString()).toBe(
      '2026-01-06T09:30:00.000Z',
    );
    // 24 working hours from Monday 09:00 = three full days → Wednesday 17:00.
    expect(addWorkingMinutes(new Date('2026-01-05T09:00:00Z'), 24 * 60, cal).toISOString()).toBe(
      '2026-01-07T17:00:00.000Z',
    );
  });

  it('respects the rep’s own working days and a zone east of UTC', () => {
    // Sunday–Thursday week in Dubai (UTC+4, no DST), 08:00–16:00. Thursday 15:00 local + 2 h → Sunday 09:00.
    const cal = {
      timeZone: 'Asia/Dubai',
      workingDays: [7, 1, 2, 3, 4],
      workStartMinute: 480,
      workEndMinute: 960,
    };
    const thursday = new Date('2026-01-08T11:00:00Z');
    expect(addWorkingMinutes(thursday, 120, cal).toISOString()).toBe('2026-01-11T05:00:00.000Z');
  });

  it('refuses a calendar without working time', () => {
    expect(() =>
      addWorkingMinutes(new Date(), 10, {
        timeZone: 'UTC',
        workingDays: [],
        workStartMinute: 0,
        workEndMinute: 60,
      }),
    ).toThrow(RangeError);
  });
});

describe('workingMinutesBetween', () => {
  it('is the inverse of addWorkingMinutes', () => {
    const cal = nineToFive('America/New_York');
    const start = new Date('2026-03-06T22:30:00Z');
    for (const minutes of [1, 59, 240, 480, 1000, 2400]) {
      const due = addWorkingMinutes(start, minutes, cal);
      expect(workingMinutesBetween(start, due, cal)).toBeCloseTo(minutes, 6);
    }
  });

  it('counts nothing over a weekend', () => {
    const cal = nineToFive('UTC');
    expect(
      workingMinutesBetween(new Date('2026-01-09T17:00:00Z'), new Date('2026-01-12T09:00:00Z'), cal),
    ).toBe(0);
  });
});

describe('localTimeToInstant', () => {
  it('resolves a wall time skipped by spring-forward to just after the gap', () => {
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00 CEST = 01:00Z).
    const instant = localTimeToInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin');
    expect(new Date(instant).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
