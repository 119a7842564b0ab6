// People are matched to accounts by the domain of their work email; free-mail domains say nothing.
const freeMailDomains = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
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
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'qq.com',
  '163.com',
  'uol.com.br',
  'bol.com.br',
  'terra.com.br',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  't-online.de',
]);

/** The company domain an email points at, or undefined for free-mail and malformed addresses. */
export function companyDomainOf(email: string | null | undefined): string | undefined {
  const domain = email?.trim().toLowerCase().split('@')[1];
  if (!domain?.includes('.') || freeMailDomains.has(domain)) return undefined;
  return domain;
}

/** "https://www.Acme.com/about" → "acme.com". */
export function normaliseDomain(input: string | null | undefined): string | undefined {
  const trimmed = input?.trim().toLowerCase();
  if (!trimmed) return undefined;
  const host = trimmed
    .replace(/^[a-z]+:\/\//, '')
    .split(/[/?#]/)[0]!
    .replace(/^www\./, '');
  return host.includes('.') ? host : undefined;
}
