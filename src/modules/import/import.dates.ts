// Reading the dates CRM exports write. A date without a zone is a wall-clock time in the mapping's
// time zone (HubSpot writes `4/8/2025 17:19` in the portal's zone); storage is always UTC.

export type DateReader = (text: string) => Date | undefined;

const TOKEN = /YYYY|SSS|MM|DD|HH|mm|ss|M|D|H|A/g;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC when the text carried a zone. */
  offset?: number;
}

/** Read from the file's first rows when the import starts (import.service.ts, guessDateFormat). */
export const AUTO_DATE_FORMAT = 'auto';

export function isDateFormat(format: string): boolean {
  if (format === 'ISO' || format === AUTO_DATE_FORMAT) return true;
  const tokens: string[] = format.match(TOKEN) ?? [];
  const has = (token: string) => tokens.includes(token);
  return has('YYYY') && (has('MM') || has('M')) && (has('DD') || has('D'));
}

/** A reader for `format` ('ISO' or a pattern such as 'DD-MM-YYYY' or 'MM/DD/YYYY HH:mm'). ISO is always accepted too. */
export function dateReader(format: string, timeZone: string): DateReader {
  const custom = format === 'ISO' || format === AUTO_DATE_FORMAT ? undefined : compilePattern(format);
  const toUtc = utcConverter(timeZone);
  return (text) => {
    const wall = (custom ? custom(text) : undefined) ?? readIso(text);
    if (!wall || !isRealTime(wall)) return undefined;
    if (wall.offset !== undefined) {
      const ms = Date.UTC(
        wall.year,
        wall.month - 1,
        wall.day,
        wall.hour,
        wall.minute,
        wall.second,
        wall.millisecond,
      );
      return new Date(ms - wall.offset * 60_000);
    }
    return toUtc(wall);
  };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function readIso(text: string): WallTime | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')),
    ...(m[8] === undefined ? {} : { offset: zoneOffset(m[8]) }),
  };
}

function zoneOffset(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0);
  return zone.startsWith('-') ? -minutes : minutes;
}

const TOKEN_GROUP: Record<string, string> = {
  YYYY: '(?<year>\\d{4})',
  MM: '(?<month>\\d{1,2})',
  M: '(?<month>\\d{1,2})',
  DD: '(?<day>\\d{1,2})',
  D: '(?<day>\\d{1,2})',
  HH: '(?<hour>\\d{1,2})',
  H: '(?<hour>\\d{1,2})',
  mm: '(?<minute>\\d{1,2})',
  ss: '(?<second>\\d{1,2})',
  SSS: '(?<ms>\\d{1,3})',
  A: '(?<ampm>[AaPp][Mm])',
};

/**
 * Compiles a pattern into a matcher. One- and two-digit forms are both accepted for every
 * numeric part (exports drop leading zeros: `4/8/2025`), seconds may follow minutes, and a
 * pattern with a time also accepts the date alone (columns mix both).
 */
function compilePattern(format: string): (text: string) => WallTime | undefined {
  let source = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += escapeRegExp(format.slice(last, match.index)).replace(/ +/g, '\\s+');
    source += TOKEN_GROUP[match[0]];
    if (match[0] === 'mm' && !format.includes('ss')) source += '(?::(?<second>\\d{1,2}))?';
    last = match.index + match[0].length;
  }
  const full = new RegExp(`^${source}${escapeRegExp(format.slice(last))}$`);
  const timeStart = format.search(/H/);
  const dateOnly =
    timeStart > 0 ? compilePattern(format.slice(0, timeStart).replace(/[^A-Za-z]+$/, '')) : undefined;
  return (text) => {
    const groups = full.exec(text)?.groups;
    if (!groups) return dateOnly?.(text);
    const wall: WallTime = {
      year: Number(groups.year),
      month: Number(groups.month),
      day: Number(groups.day),
      hour: Number(groups.hour ?? 0),
      minute: Number(groups.minute ?? 0),
      second: Number(groups.second ?? 0),
      millisecond: Number((groups.ms ?? '0').padEnd(3, '0')),
    };
    if (groups.ampm !== undefined) {
      if (wall.hour < 1 || wall.hour > 12) return undefined;
      wall.hour = (wall.hour % 12) + (groups.ampm.toLowerCase() === 'pm' ? 12 : 0);
    }
    return wall;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealTime(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1) return false;
  const leap = w.year % 4 === 0 && (w.year % 100 !== 0 || w.year % 400 === 0);
  const daysInMonth = w.month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[w.month - 1]!;
  return w.day <= daysInMonth && w.hour <= 23 && w.minute <= 59 && w.second <= 59;
}

/** Wall-clock time in `timeZone` → UTC instant, caching the zone's offset per hour (imports repeat hours a lot). */
function utcConverter(timeZone: string): (wall: WallTime) => Date {
  const asUtc = (w: WallTime) =>
    Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return (w) => new Date(asUtc(w));
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (instant: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
    const wall = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
  };
  const cache = new Map<number, number>();
  return (w) => {
    const local = asUtc(w);
    const hourKey = Math.floor(local / 3_600_000);
    let offset = cache.get(hourKey);
    if (offset === undefined) {
      // Two passes find the offset in force at that wall time, also across a daylight-saving change.
      offset = offsetAt(local - offsetAt(local) * 60_000);
      if (cache.size > 50_000) cache.clear();
      cache.set(hourKey, offset);
    }
    return new Date(local - offset * 60_000);
  };
}
