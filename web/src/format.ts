// One locale for every number, so a count reads the same on every screen and in every test.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

/** 7158 → "7,158" */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** 0.1049 → "10.5%"; null (no people in the previous stage) → "–" */
export function formatRate(value: number | null): string {
  return value === null ? '–' : `${percentFormat.format(value * 100)}%`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** The share of `part` in `whole`, or null when `whole` is 0. */
export function rateOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** "MQL" → "MQLs", "New lead" → "new leads", "Opportunity" → "opportunities". */
export function plural(label: string): string {
  const isAcronym = label === label.toUpperCase();
  const word = isAcronym ? label : label.toLowerCase();
  if (!isAcronym && /[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
