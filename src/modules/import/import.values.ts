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

/** `https://www.Acme.com/about` → `acme.com`; undefined when nothing like a domain is left. */
export function normalizeDomain(text: string): string | undefined {
  const domain = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}

// Addresses at these domains say nothing about a person's company, so they never match an account.
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.com.br',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'qq.com',
  '163.com',
  '126.com',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'uol.com.br',
  'bol.com.br',
  'terra.com.br',
]);

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain);
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
