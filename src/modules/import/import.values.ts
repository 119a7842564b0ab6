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

export function normalizeEmail(text: string): string | undefined {
  const email = text.trim().toLowerCase();
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
