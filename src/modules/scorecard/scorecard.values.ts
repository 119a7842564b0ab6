// How a raw CRM cell becomes a value the scorecard can use: trimmed, lower-cased, placeholders
// ("Select", "--None--", "N/A", "-", ...) read as missing; numbers and dates recognised in the usual export spellings.

/** Values that CRM forms and spreadsheets write when nobody filled the field in. */
const PLACEHOLDERS = new Set([
  '',
  'select',
  '-',
  '--',
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'undefined',
  'unknown',
  '?',
  '(blank)',
  '(none)',
  '#n/a',
  'nan',
  'not set',
  '(not set)',
]);

/** Trimmed, lower-cased, inner whitespace collapsed; `undefined` when the cell is empty or a placeholder. */
export function normaliseCell(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  // Picklists frame their placeholder: Salesforce's "--None--", "-- Select --", "[none]", "<select>".
  const unframed = value.replace(/^[-\s[(<]+|[-\s\])>]+$/g, '');
  return PLACEHOLDERS.has(value) || PLACEHOLDERS.has(unframed) ? undefined : value;
}

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/;
const GROUPED_NUMBER = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** A number as exports write it: `12`, `-3.5`, `1,234.50`, `$99`, `15%`; `undefined` otherwise. */
export function parseNumber(value: string): number | undefined {
  const text = value.replace(/^[$€£]\s*/, '').replace(/\s*%$/, '');
  if (PLAIN_NUMBER.test(text)) return Number(text);
  if (GROUPED_NUMBER.test(text)) return Number(text.replaceAll(',', ''));
  return undefined;
}

/** Which order the day, month and year are written in; separators (`-`, `/`, `.`) and any time part are ignored. */
export const dateFormats = ['YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY'] as const;
export type DateFormat = (typeof dateFormats)[number];

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ t])/i;
const YEAR_LAST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|[ t,])/i;

/** The date as written (wall clock; no time zone is applied, so the month is the one the export shows). */
export function parseDate(value: string, format: DateFormat): CalendarDate | undefined {
  const match = (format === 'YYYY-MM-DD' ? YEAR_FIRST : YEAR_LAST).exec(value);
  if (!match) return undefined;
  const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date =
    format === 'YYYY-MM-DD'
      ? { year: a, month: b, day: c }
      : format === 'DD-MM-YYYY'
        ? { year: c, month: b, day: a }
        : { year: c, month: a, day: b };
  return isRealDate(date) ? date : undefined;
}

function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const monthOf = (date: CalendarDate) => `${date.year}-${String(date.month).padStart(2, '0')}`;
export const weekdayOf = (date: CalendarDate) =>
  WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;

/**
 * The format most values parse with, when at least `minShare` of them do. Day-first and month-first
 * read the same when every day is ≤ 12; then `/` means month-first (US exports), `-` and `.` day-first.
 */
export function detectDateFormat(values: readonly string[], minShare: number): DateFormat | undefined {
  if (values.length === 0) return undefined;
  let best: { format: DateFormat; parsed: number } | undefined;
  const slashes = values.filter((v) => v.includes('/')).length;
  const order: DateFormat[] =
    slashes > values.length / 2
      ? ['YYYY-MM-DD', 'MM-DD-YYYY', 'DD-MM-YYYY']
      : ['YYYY-MM-DD', 'DD-MM-YYYY', 'MM-DD-YYYY'];
  for (const format of order) {
    const parsed = values.filter((v) => parseDate(v, format) !== undefined).length;
    if (!best || parsed > best.parsed) best = { format, parsed };
  }
  return best && best.parsed >= minShare * values.length ? best.format : undefined;
}
