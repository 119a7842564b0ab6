// One locale for every number, so a count reads the same on every screen and in every test.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** 7158 → "7,158" */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** (1, "day") → "1 day", (3, "day") → "3 days", (1200, "row") → "1,200 rows" */
export function countOf(value: number, word: string): string {
  return `${formatCount(value)} ${word}${value === 1 ? '' : 's'}`;
}

/** 0.1049 → "10.5%"; null (no people in the previous stage) → "–" */
export function formatRate(value: number | null): string {
  return value === null ? '–' : `${percentFormat.format(value * 100)}%`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "Dec 1, 2026, 9:00 AM", in the viewer's time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** An instant as the value of a `datetime-local` input: "2026-12-01T09:00", in the viewer's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A `datetime-local` input's value (the viewer's local time) as an instant; null when empty or not a time. */
export function fromLocalInput(value: string): string | null {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** "2026-08" or "2026-08-01" → "Aug 2026" (UTC, like the reports' months); anything else as it is. */
export function formatMonth(isoMonth: string): string {
  const date = new Date(`${isoMonth.slice(0, 7)}-01T00:00:00Z`);
  return /^\d{4}-\d{2}/.test(isoMonth) && !Number.isNaN(date.getTime()) ? monthFormat.format(date) : isoMonth;
}

// Words that read as letters, whatever case the key had them in.
const acronyms = new Set([
  'mql',
  'sql',
  'sal',
  'sla',
  'crm',
  'seo',
  'sem',
  'ppc',
  'utm',
  'url',
  'api',
  'b2b',
  'b2c',
  'smb',
]);
const machineKey = /^[a-z][a-z0-9_-]*$/;

/**
 * A key as people read it: "paid_search" → "Paid search", "mql_threshold" → "MQL threshold". Only
 * lower-case keys change; a value written for people ("LinkedIn Ads"), a URL or an email stays as it is.
 * For display only: filters, URLs and API calls keep the raw key.
 */
export function humanize(key: string): string {
  if (!machineKey.test(key)) return key;
  const words = key
    .split('_')
    .filter(Boolean)
    .map((word) => (acronyms.has(word) ? word.toUpperCase() : word));
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** A stored property or attribute as people read it: keys humanized, true/false as yes/no. */
export function humanizeValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return humanize(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The share of `part` in `whole`, or null when `whole` is 0. */
export function rateOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export { plural } from '../../src/shared/words.ts';

/**
 * The start of a look-back window: midnight UTC `days` days before today, as ISO. Whole days keep the
 * value, and so a report's query (and its cache key), the same all day long.
 */
export function lookbackStart(days: number, today: Date = new Date()): string {
  const start = new Date(today);
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - days);
  return start.toISOString();
}

/**
 * Who made a move in a lead's or a deal's history: "by Ada Admin", "by API token "crm-sync" (Ada's)",
 * "by rule: Lead definition v1", or "by Lockstep".
 */
export function movedBy(step: {
  actorName: string | null;
  actorTokenName: string | null;
  rule?: string | null;
}): string {
  const token = step.actorTokenName ? `API token "${step.actorTokenName}"` : null;
  if (token && step.actorName) return `by ${token} (${step.actorName}'s)`;
  if (token) return `by ${token}`;
  if (step.actorName) return `by ${step.actorName}`;
  if (step.rule) return `by rule: ${humanize(step.rule)}`;
  return 'by Lockstep';
}
