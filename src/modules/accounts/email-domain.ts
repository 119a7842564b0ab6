// People are matched to accounts by the domain of their work email; free-mail domains say nothing.
// The one place that knows what a company domain is, for the API and the importer alike.
const freeMailDomains = new Set([
  '126.com',
  '163.com',
  'aol.com',
  'bol.com.br',
  'fastmail.com',
  'free.fr',
  'gmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hey.com',
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.fr',
  'icloud.com',
  'laposte.net',
  'libero.it',
  'live.com',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'orange.fr',
  'outlook.com',
  'proton.me',
  'protonmail.com',
  'qq.com',
  't-online.de',
  'terra.com.br',
  'uol.com.br',
  'web.de',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.com.br',
  'yahoo.fr',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  'zoho.com',
]);

export function isFreeMailDomain(domain: string): boolean {
  return freeMailDomains.has(domain);
}

/** The company domain an email points at, or undefined for free-mail and malformed addresses. */
export function companyDomainOf(email: string | null | undefined): string | undefined {
  const domain = normaliseDomain(email?.split('@')[1]);
  return domain && !freeMailDomains.has(domain) ? domain : undefined;
}

/** "https://www.Acme.com/about" and "acme.com:8080" → "acme.com"; undefined when it is not a domain. */
export function normaliseDomain(input: string | null | undefined): string | undefined {
  const domain = (input ?? '')
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}
