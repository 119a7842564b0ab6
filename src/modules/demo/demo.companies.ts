// The demo's companies and the people in them: names, domains, titles and how well each fits the
// ideal customer profile (software and fintech, 50–2,000 employees, revenue leaders).
import {
  companyFirstWords,
  companySecondWords,
  companySuffixes,
  countries,
  firstNames,
  freeMailDomains,
  industries,
  lastNames,
  type Region,
  type Territory,
  titles,
} from './demo.catalog.ts';
import type { Random } from './demo.random.ts';

export interface CompanyDraft {
  name: string;
  domain: string;
  industry: string;
  employees: number;
  country: string;
  territory: Territory;
  /** How well the company fits the ideal customer profile (1 = average). */
  fit: number;
}

const regionOf = new Map(countries.map(([country, region]) => [country, region]));
const industryFit = new Map(industries.map(([industry, , fit]) => [industry, fit]));
const titleFit = new Map(titles.map(([title, , fit]) => [title, fit]));

export function territoryOf(country: string, employees: number | null): Territory {
  const region: Region = regionOf.get(country) ?? 'na';
  if (region === 'emea') return 'emea';
  return region === 'na' && employees !== null && employees >= 500 ? 'na_enterprise' : 'growth';
}

function sizeFit(employees: number): number {
  if (employees < 10) return 0.5;
  if (employees < 50) return 0.75;
  if (employees < 2000) return 1.15;
  return 1;
}

export function makeCompanies(rng: Random, count: number): CompanyDraft[] {
  const usedBases = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    let base = '';
    for (let attempt = 0; attempt < 20 && (base === '' || usedBases.has(base)); attempt++) {
      base = rng.pick(companyFirstWords) + rng.pick(companySecondWords);
    }
    if (usedBases.has(base)) base = `${base}${index}`;
    usedBases.add(base);
    const industry = rng.weighted(industries.map(([name, weight]) => [name, weight] as const));
    const country = rng.weighted(countries.map(([code, , weight]) => [code, weight] as const));
    const employees = Math.round(Math.min(20_000, Math.max(5, rng.logNormal(220, 1.3))));
    const suffix = rng.pick(companySuffixes[industry] ?? ['Inc']);
    return {
      name: `${base} ${suffix}`,
      domain: `${base.toLowerCase()}.example`,
      industry,
      employees,
      country,
      territory: territoryOf(country, employees),
      fit: (industryFit.get(industry) ?? 1) * sizeFit(employees),
    };
  });
}

export interface PersonIdentity {
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  /** Title fit times company fit; free-mail addresses count as a weak fit. */
  fit: number;
}

const emailLocal = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** A person at `company`, or with a free-mail address when there is none; emails are unique in `usedEmails`. */
export function makePerson(
  rng: Random,
  company: CompanyDraft | null,
  usedEmails: Set<string>,
): PersonIdentity {
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const title = rng.weighted(titles.map(([name, weight]) => [name, weight] as const));
  const domain = company?.domain ?? rng.pick(freeMailDomains);
  const local = company
    ? `${emailLocal(firstName)}.${emailLocal(lastName)}`
    : `${emailLocal(firstName)}${emailLocal(lastName)}${rng.int(1, 99)}`;
  let email = `${local}@${domain}`;
  for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
  usedEmails.add(email);
  return { firstName, lastName, email, title, fit: (titleFit.get(title) ?? 1) * (company?.fit ?? 0.55) };
}

/** Made-up numbers from ranges kept for fiction: North American 555-01xx and UK 020 7946 0xxx. */
export function fictionalPhone(rng: Random, country: string): string | null {
  if (country === 'US' || country === 'CA') {
    const area = rng.pick(country === 'US' ? ['212', '415', '512', '617', '312'] : ['416', '604']);
    return `+1 ${area} 555 01${String(rng.int(0, 99)).padStart(2, '0')}`;
  }
  if (country === 'GB') return `+44 20 7946 0${String(rng.int(0, 999)).padStart(3, '0')}`;
  return null;
}
