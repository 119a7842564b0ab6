// Working-hours arithmetic in a rep's own time zone. Pure: no clock, no database. Time zones come
// from Intl, so daylight-saving changes move the working window with the local clock.

export interface WorkingCalendar {
  /** IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  /** Local minutes after midnight: the working day is [start, end). */
  workStartMinute: number;
  workEndMinute: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
// Enough to cross any realistic run of non-working days without looping forever on a bad calendar.
const MAX_DAYS = 3_660;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at this instant, in milliseconds (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (instant % 1000));
}

/**
 * The instant at which the local wall clock shows this date and minute. A wall time skipped by a
 * spring-forward change resolves to the instant just after the gap.
 */
export function localTimeToInstant(
  date: { year: number; month: number; day: number },
  minuteOfDay: number,
  timeZone: string,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second === first ? first : Math.max(first, second);
}

/** ISO weekday (1 = Monday) of a calendar date. */
function isoWeekday(date: { year: number; month: number; day: number }): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

function nextDate(date: { year: number; month: number; day: number }) {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + DAY);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

function assertUsable(calendar: WorkingCalendar) {
  if (calendar.workingDays.length === 0 || calendar.workEndMinute <= calendar.workStartMinute) {
    throw new RangeError('A working calendar needs at least one working day and a working window.');
  }
}

/**
 * The moment `minutes` working minutes after `start` have passed in this calendar: time outside the
 * rep's working days and hours does not count. `slaDueAt(Friday 17:30, 240 min, Mon–Fri 09–17)`
 * is Monday 12:30 local.
 */
export function addWorkingMinutes(start: Date, minutes: number, calendar: WorkingCalendar): Date {
  assertUsable(calendar);
  let remaining = Math.max(0, minutes) * MINUTE;
  const startMs = start.getTime();
  const first = localParts(startMs, calendar.timeZone);
  let date = { year: first.year, month: first.month, day: first.day };
  for (let i = 0; i < MAX_DAYS; i++) {
    if (calendar.workingDays.includes(isoWeekday(date))) {
      const open = localTimeToInstant(date, calendar.workStartMinute, calendar.timeZone);
      const close = localTimeToInstant(date, calendar.workEndMinute, calendar.timeZone);
      const from = Math.max(open, startMs);
      if (from < close) {
        if (remaining <= close - from) return new Date(from + remaining);
        remaining -= close - from;
      }
    }
    date = nextDate(date);
  }
  throw new RangeError('The working calendar has no working time in the next ten years.');
}

/** Working minutes between two instants in this calendar (0 when `end` is not after `start`). */
export function workingMinutesBetween(start: Date, end: Date, calendar: WorkingCalendar): number {
  assertUsable(calendar);
  const startMs = start.getTime();
  const endMs = end.getTime();
  if (endMs <= startMs) return 0;
  const first = localParts(startMs, calendar.timeZone);
  let date = { year: first.year, month: first.month, day: first.day };
  let total = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    const dayStart = localTimeToInstant(date, 0, calendar.timeZone);
    if (dayStart >= endMs) break;
    if (calendar.workingDays.includes(isoWeekday(date))) {
      const open = Math.max(localTimeToInstant(date, calendar.workStartMinute, calendar.timeZone), startMs);
      const close = Math.min(localTimeToInstant(date, calendar.workEndMinute, calendar.timeZone), endMs);
      if (close > open) total += close - open;
    }
    date = nextDate(date);
  }
  return total / MINUTE;
}
