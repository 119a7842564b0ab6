// Cleaning single cell values: e-mail addresses, domains, names, numbers and value maps.

/** Case, spacing, underscores and punctuation do not distinguish two headers or two mapped values. */
export function looseKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface ValueMap {
  entries: ReadonlyMap<string, string | null>;
  /** Raw values repeat (a stage column has a handful): remember each answer. */
  seen: Map<string, string | null>;
}

export function compileValueMap(map: Record<string, string | null> | undefined): ValueMap | undefined {
  if (!map) return undefined;
  return {
    entries: new Map(Object.entries(map).map(([raw, mapped]) => [looseKey(raw), mapped])),
    seen: new Map(),
  };
}

/** The mapped value, or the raw value when the map does not mention it. */
export function applyValueMap(map: ValueMap | undefined, raw: string): string | null {
  if (!map) return raw;
  const known = map.seen.get(raw);
  if (known !== undefined || map.seen.has(raw)) return known ?? null;
  const mapped = map.entries.get(looseKey(raw));
  const value = mapped === undefined ? raw : mapped;
  if (map.seen.size < 10_000) map.seen.set(raw, value);
  return value;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

/**
 * The address, lower-cased: also out of "Ada Lovelace <ada@x.example>" (address books and mail
 * clients export it so) and "mailto:ada@x.example" (a link pasted into a CRM field).
 */
export function normalizeEmail(text: string): string | undefined {
  const named = text.includes('<') ? /<([^<>]+)>\s*$/.exec(text) : null;
  let email = (named ? named[1]! : text).trim().toLowerCase();
  if (email.startsWith('mailto:')) email = email.slice('mailto:'.length);
  return EMAIL.test(email) ? email : undefined;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** "Ada Lovelace" → Ada / Lovelace; "Lovelace, Ada" → Ada / Lovelace; one word is a first name. */
export function splitFullName(full: string): { firstName: string; lastName: string | null } {
  const comma = full.indexOf(',');
  if (comma > 0) {
    const last = full.slice(0, comma).trim();
    const first = full.slice(comma + 1).trim();
    if (first && last) return { firstName: first, lastName: last };
  }
  const words = full.trim().split(/\s+/);
  const [first = '', ...rest] = words;
  return { firstName: first, lastName: rest.length > 0 ? rest.join(' ') : null };
}

/** "1,200", "1 200" and "1200.0" are 1200; anything else is undefined. */
export function parseWholeNumber(text: string): number | undefined {
  const compact = text.replace(/[\s,_]/g, '').replace(/\.0+$/, '');
  if (!/^-?\d{1,10}$/.test(compact)) return undefined;
  const value = Number(compact);
  return Number.isSafeInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : undefined;
}

/**
 * A head count: a whole number, or a size band as CRMs and LinkedIn write them ("51-200",
 * "1,001–5,000", "10,001+", "5000 or more"), read as its lower bound, so that a fit rule such as
 * "50 to under 2,000 employees" places the company as the band does.
 */
export function parseHeadCount(text: string): number | undefined {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  const band = /^(.+?)\s*(?:[-–—]|\bto\b)\s*(.+)$/i.exec(text.trim());
  if (band) {
    const [low, high] = [parseWholeNumber(band[1]!), parseWholeNumber(band[2]!)];
    return low !== undefined && high !== undefined && low >= 0 && low <= high ? low : undefined;
  }
  const open = /^(.+?)\s*(?:\+|or more)$/i.exec(text.trim());
  const count = parseWholeNumber(open ? open[1]! : text);
  return count !== undefined && count >= 0 ? count : undefined;
}

/**
 * How amounts are written, from the values: the separator that comes last in a value with both is
 * the decimal one ("1.234,56"); alone, it is decimal when one is followed by one or two digits
 * ("12,5", "99.90") and a thousands separator when it repeats or three digits follow ("1,200,000",
 * "12.000"). The majority decides; whole numbers alone read as "1,234.56". Spaces or an apostrophe
 * between digit groups pick the Swiss and French forms.
 */
export function guessNumberFormat(values: readonly string[]): string {
  let decimalComma = 0;
  let decimalPoint = 0;
  let spaced = false;
  let apostrophe = false;
  for (const value of values) {
    const digits = value.replace(/[^\d.,'\s\u00a0\u202f]/g, '').trim();
    if (/\d[\s\u00a0\u202f]\d{3}\b/.test(digits)) spaced = true;
    if (/\d'\d{3}\b/.test(digits)) apostrophe = true;
    const comma = digits.lastIndexOf(',');
    const point = digits.lastIndexOf('.');
    if (comma !== -1 && point !== -1) {
      if (comma > point) decimalComma++;
      else decimalPoint++;
      continue;
    }
    const separator = comma !== -1 ? ',' : point !== -1 ? '.' : undefined;
    if (!separator) continue;
    const decimals = digits.length - digits.lastIndexOf(separator) - 1;
    const once = digits.indexOf(separator) === digits.lastIndexOf(separator);
    const isDecimal = once && decimals !== 3;
    if ((separator === ',') === isDecimal) decimalComma++;
    else decimalPoint++;
  }
  if (decimalComma > decimalPoint) return spaced ? '1 234,56' : '1.234,56';
  return apostrophe ? "1'234.56" : '1,234.56';
}

const SEPARATORS: Record<string, { thousands: string; decimal: string }> = {
  '1,234.56': { thousands: ',', decimal: '.' },
  '1.234,56': { thousands: '.', decimal: ',' },
  '1 234,56': { thousands: ' ', decimal: ',' },
  "1'234.56": { thousands: "'", decimal: '.' },
  '1234.56': { thousands: '', decimal: '.' },
  '1234,56': { thousands: '', decimal: ',' },
};

/** Currency symbols an amount may carry; an ISO code (USD, EUR, …) next to the number works too. */
const CURRENCY_SYMBOLS: [string, string][] = [
  ['R$', 'BRL'],
  ['US$', 'USD'],
  ['CA$', 'CAD'],
  ['A$', 'AUD'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
  ['CHF', 'CHF'],
];

/**
 * "$1,200.50", "1.200,50 €", "EUR 1 200,50" → the amount and the currency it names (if any), in
 * the mapping's number format. Undefined when the text is not an amount (or is negative).
 */
export function parseAmount(text: string, format: string): { amount: number; currency?: string } | undefined {
  const separators = SEPARATORS[format] ?? SEPARATORS['1,234.56']!;
  let rest = text.trim();
  let currency: string | undefined;
  const code = /^([A-Z]{3})\s*|\s*([A-Z]{3})$/.exec(rest);
  if (code) {
    currency = code[1] ?? code[2];
    rest = rest.replace(code[0], '');
  }
  for (const [symbol, iso] of CURRENCY_SYMBOLS) {
    if (rest.startsWith(symbol) || rest.endsWith(symbol)) {
      currency ??= iso;
      rest = rest.startsWith(symbol) ? rest.slice(symbol.length) : rest.slice(0, -symbol.length);
      break;
    }
  }
  // Spaces (including the no-break spaces spreadsheets write) are thousands separators or padding.
  let compact = rest.trim().replace(/[\s\u00a0\u202f]+/g, separators.thousands === ' ' ? ' ' : '');
  const t = escapeRegExp(separators.thousands);
  const d = escapeRegExp(separators.decimal);
  // Groups of three after each separator, so "12,000.50" is not read as 12 in the "1.234,56" format.
  const shape = t ? new RegExp(`^(\\d+|\\d{1,3}(${t}\\d{3})+)(${d}\\d+)?$`) : new RegExp(`^\\d+(${d}\\d+)?$`);
  if (!shape.test(compact)) return undefined;
  if (t) compact = compact.replaceAll(separators.thousands, '');
  if (separators.decimal === ',') compact = compact.replace(',', '.');
  const amount = Number(compact);
  if (!Number.isFinite(amount) || amount > 999_999_999_999) return undefined;
  return { amount: Math.round(amount * 100) / 100, ...(currency ? { currency } : {}) };
}

/** true/false/1/0/yes/no (any case); undefined for anything else. */
export function parseBoolean(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 't'].includes(value)) return true;
  if (['false', '0', 'no', 'n', 'f'].includes(value)) return false;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
