// A first mapping for a file no preset fits, guessed from its headers and a few of its rows, for a
// person to check and correct on the Import page: each header matched to the field whose name or
// usual spellings it matches, the rest kept as attributes, the date format read off the values.
import type { ImportField } from './import.mapping.ts';
import { accountFields, opportunityFields, personFields } from './import.mapping.ts';
import { looseKey } from './import.values.ts';

export const fieldLabels: Record<ImportField, string> = {
  lockstepId: 'Lockstep ID',
  externalId: 'ID in your CRM',
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  title: 'Job title',
  phone: 'Phone',
  country: 'Country',
  source: 'Source (channel)',
  landingPage: 'Landing page',
  companyName: 'Company name',
  companyDomain: 'Company website or domain',
  companyExternalId: "Company's ID in your CRM",
  industry: 'Industry',
  employees: 'Employees',
  stage: 'Stage',
  createdAt: 'Created at',
  name: 'Deal name',
  amount: 'Amount',
  currency: 'Currency',
  product: 'Product',
  owner: 'Owner',
  openedAt: 'Opened at',
  closedAt: 'Closed at',
  lostReason: 'Lost reason',
  personExternalId: "Contact's ID in your CRM",
  personEmail: "Contact's email",
  isClosed: 'Closed? (yes/no)',
  isWon: 'Won? (yes/no)',
};

/** Other ways exports name a field, compared as loose keys (case, spaces and punctuation ignored). */
const spellings: Partial<Record<ImportField, string[]>> = {
  lockstepId: ['lockstepid'],
  externalId: ['id', 'recordid', 'contactid', 'leadid', 'personid', 'dealid', 'opportunityid', 'companyid'],
  email: ['emailaddress', 'mail', 'email', 'workemail', 'businessemail'],
  firstName: ['firstname', 'givenname', 'forename'],
  lastName: ['lastname', 'surname', 'familyname'],
  fullName: ['name', 'fullname', 'contactname', 'leadname', 'personname'],
  title: ['title', 'jobtitle', 'position', 'role'],
  phone: ['phone', 'phonenumber', 'mobile', 'telephone'],
  country: ['country', 'countryregion', 'billingcountry'],
  source: ['source', 'leadsource', 'originalsource', 'origin', 'channel'],
  landingPage: ['landingpage', 'firstpageseen', 'landingpageurl'],
  companyName: ['company', 'companyname', 'account', 'accountname', 'organization', 'organisation'],
  companyDomain: ['website', 'domain', 'companydomain', 'companywebsite', 'companydomainname', 'url'],
  companyExternalId: ['companyid', 'accountid', 'organizationid'],
  industry: ['industry', 'sector', 'vertical'],
  employees: ['employees', 'numberofemployees', 'noofemployees', 'companysize', 'headcount'],
  stage: ['stage', 'lifecyclestage', 'status', 'leadstatus', 'dealstage', 'stagename'],
  createdAt: ['createdat', 'createdate', 'createddate', 'createdtime', 'created', 'datecreated', 'createdon'],
  name: ['dealname', 'opportunityname', 'name', 'title'],
  amount: ['amount', 'value', 'dealvalue', 'revenue'],
  currency: ['currency', 'currencycode', 'currencyisocode'],
  product: ['product', 'productname'],
  owner: ['owner', 'dealowner', 'ownername', 'salesrep', 'rep'],
  openedAt: ['createdat', 'createdate', 'createddate', 'createdtime', 'opened', 'openedat'],
  closedAt: ['closedate', 'closeddate', 'closedat', 'wontime', 'closedon'],
  lostReason: ['lostreason', 'closedlostreason', 'lossreason'],
  personEmail: ['contactemail', 'personemail', 'email'],
  isClosed: ['isclosed', 'closed'],
  isWon: ['iswon', 'won'],
};

export const entityFields = {
  people: personFields,
  accounts: accountFields,
  opportunities: opportunityFields,
} as const;

export type Entity = keyof typeof entityFields;

/** A mapping to start from: each header on the field it most likely fills, at most one header a field. */
export function suggestMapping(
  entity: Entity,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): {
  entity: Entity;
  columns: Partial<Record<ImportField, string>>;
  attributes: string[];
  dateFormat: string;
} {
  const fields: readonly ImportField[] = entityFields[entity];
  const columns: Partial<Record<ImportField, string>> = {};
  const taken = new Set<string>();
  // Exact field names first, then labels, then the usual spellings: "Name" is a person's full name
  // only when no better header claims it.
  const passes: ((field: ImportField) => string[])[] = [
    (field) => [looseKey(field)],
    (field) => [looseKey(fieldLabels[field])],
    (field) => spellings[field] ?? [],
  ];
  for (const keys of passes) {
    for (const field of fields) {
      if (columns[field] !== undefined) continue;
      const wanted = keys(field);
      const header = headers.find((h) => !taken.has(h) && wanted.includes(looseKey(h)));
      if (header !== undefined) {
        columns[field] = header;
        taken.add(header);
      }
    }
  }
  // Every other column is kept as an attribute (a custom field of the person, account or deal).
  const attributes = headers.filter((h) => h.trim() !== '' && !taken.has(h));
  const dateColumns = (['createdAt', 'openedAt', 'closedAt'] as const)
    .map((field) => columns[field])
    .filter((header): header is string => header !== undefined)
    .map((header) => headers.indexOf(header));
  const dates = rows.flatMap((row) => dateColumns.map((index) => row[index] ?? '')).filter(Boolean);
  return { entity, columns, attributes, dateFormat: guessDateFormat(dates) };
}

/**
 * The date pattern the values are written in: ISO, or day and month in the order under which more
 * values are real dates (a first number above 12 is a day), month first when nothing tells them
 * apart (as US exports write them) except with dots (31.12.2024 is European).
 */
export function guessDateFormat(values: readonly string[]): string {
  const yearFirst = values.filter((value) => /^\d{4}\/\d{1,2}\/\d{1,2}/.test(value.trim()));
  if (yearFirst.length > 0 && yearFirst.length >= values.length / 2) {
    return `YYYY/MM/DD${timeOf(values)}`;
  }
  const patterns = [
    { re: /^(\d{1,2})\/(\d{1,2})\/\d{4}/, sep: '/' },
    { re: /^(\d{1,2})\.(\d{1,2})\.\d{4}/, sep: '.' },
    { re: /^(\d{1,2})-(\d{1,2})-\d{4}/, sep: '-' },
  ];
  for (const { re, sep } of patterns) {
    const matches = values.map((value) => re.exec(value.trim())).filter((m) => m !== null);
    if (matches.length === 0 || matches.length < values.length / 2) continue;
    // The order under which more of the values are real dates wins: one mistyped value ("13/45")
    // does not turn a file around.
    const real = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;
    const monthFirst = matches.filter((m) => real(Number(m[1]), Number(m[2]))).length;
    const dayFirstCount = matches.filter((m) => real(Number(m[2]), Number(m[1]))).length;
    const dayFirst = dayFirstCount > monthFirst || (dayFirstCount === monthFirst && sep === '.');
    return `${dayFirst ? `DD${sep}MM${sep}YYYY` : `MM${sep}DD${sep}YYYY`}${timeOf(values)}`;
  }
  return 'ISO';
}

/** The time after the date, as the values write it: " HH:mm", with ":ss" and " A" (AM/PM) when seen. */
function timeOf(values: readonly string[]): string {
  const withTime = values.filter((value) => /\d{1,2}:\d{2}/.test(value));
  if (withTime.length === 0) return '';
  const seconds = withTime.some((value) => /\d{1,2}:\d{2}:\d{2}/.test(value));
  const twelveHour = withTime.some((value) => /\s[AP]M$/i.test(value.trim()));
  return ` HH:mm${seconds ? ':ss' : ''}${twelveHour ? ' A' : ''}`;
}
