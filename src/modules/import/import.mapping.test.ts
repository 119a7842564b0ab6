import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { isFreeMailDomain, normaliseDomain } from '../accounts/email-domain.ts';
import { findColumn, resolveColumns } from './import.headers.ts';
import { type ImportMappingInput, parseMapping } from './import.mapping.ts';
import { loadPreset, presetNames } from './import.presets.ts';
import {
  applyValueMap,
  compileValueMap,
  guessNumberFormat,
  normalizeEmail,
  parseHeadCount,
  parseWholeNumber,
  splitFullName,
} from './import.values.ts';

const minimal: ImportMappingInput = { entity: 'people', source: 'crm', columns: { email: 'Email' } };

function mappingError(input: unknown): string {
  try {
    parseMapping(input, 'test.json');
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  throw new Error('the mapping was accepted');
}

describe('matching headers', () => {
  const headers = [
    'Record ID',
    'First_Name',
    'E-mail Address',
    'Country/Region',
    'Became a Marketing Qualified Lead Date',
  ];

  it('ignores case, spaces, underscores and punctuation', () => {
    expect(findColumn(headers, 'record id')?.index).toBe(0);
    expect(findColumn(headers, 'RECORDID')?.index).toBe(0);
    expect(findColumn(headers, 'first name')?.header).toBe('First_Name');
    expect(findColumn(headers, 'email address')?.index).toBe(2);
    expect(findColumn(headers, 'country region')?.index).toBe(3);
    expect(findColumn(headers, 'became a marketing-qualified lead date')?.index).toBe(4);
    expect(findColumn(headers, 'Email')).toBeUndefined();
  });

  it('tries alternatives in order', () => {
    expect(findColumn(headers, ['Contact ID', 'Record ID'])?.index).toBe(0);
  });

  it('lists the headers that exist when a mapped column is missing', () => {
    const mapping = parseMapping(
      { ...minimal, columns: { email: 'Email', firstName: 'First Name' } },
      'm.json',
    );
    expect(() => resolveColumns(mapping, headers, 'people.csv')).toThrow(
      /columns\.email → "Email"[\s\S]*headers are: "Record ID", "First_Name", "E-mail Address"/,
    );
  });

  it('lets a preset skip missing columns, but not the ones that identify a person', () => {
    const preset = loadPreset('hubspot-contacts');
    const columns = resolveColumns(preset, ['Record ID', 'Email', 'Lifecycle Stage'], 'contacts.csv');
    expect(columns.fields.externalId?.index).toBe(0);
    expect(columns.fields.stage?.index).toBe(2);
    expect(columns.fields.firstName).toBeUndefined();
    expect(() => resolveColumns(preset, ['Name', 'Phone'], 'contacts.csv')).toThrow(
      /none of the columns that identify a record were found[\s\S]*"Record ID" or "Contact ID"/,
    );
  });
});

describe('value maps', () => {
  const stages = compileValueMap({
    marketingqualifiedlead: 'mql',
    'Sales Qualified Lead': 'sql',
    other: null,
  });

  it('match raw values ignoring case and spacing', () => {
    expect(applyValueMap(stages, 'Marketing Qualified Lead')).toBe('mql');
    expect(applyValueMap(stages, 'MARKETINGQUALIFIEDLEAD')).toBe('mql');
    expect(applyValueMap(stages, 'salesqualifiedlead')).toBe('sql');
    expect(applyValueMap(stages, 'sales_qualified_lead')).toBe('sql');
  });

  it('map to nothing when the target is null, and leave unknown values as they are', () => {
    expect(applyValueMap(stages, 'Other')).toBeNull();
    expect(applyValueMap(stages, 'evangelist')).toBe('evangelist');
    expect(applyValueMap(undefined, 'x')).toBe('x');
  });
});

describe('cleaning values', () => {
  it('accepts e-mail addresses and lower-cases them', () => {
    expect(normalizeEmail(' Ada@Analytical.Example ')).toBe('ada@analytical.example');
    expect(normalizeEmail('bob@')).toBeUndefined();
    expect(normalizeEmail('Ada Lovelace <Ada@Analytical.Example>')).toBe('ada@analytical.example');
    expect(normalizeEmail('mailto:ada@analytical.example')).toBe('ada@analytical.example');
    expect(normalizeEmail('Ada <not an address>')).toBeUndefined();
    expect(normalizeEmail('bob@localhost')).toBeUndefined();
    expect(normalizeEmail('two words@x.com')).toBeUndefined();
  });

  it('reduces websites to domains and knows free-mail domains', () => {
    expect(normaliseDomain('https://www.Apollo.example/about?x=1')).toBe('apollo.example');
    expect(normaliseDomain('apollo.example:8080')).toBe('apollo.example');
    expect(normaliseDomain('not a domain')).toBeUndefined();
    expect(isFreeMailDomain('gmail.com')).toBe(true);
    expect(isFreeMailDomain('apollo.example')).toBe(false);
  });

  it('splits full names and reads whole numbers', () => {
    expect(splitFullName('Ada Lovelace')).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(splitFullName('Berners-Lee, Tim')).toEqual({ firstName: 'Tim', lastName: 'Berners-Lee' });
    expect(splitFullName('Cher')).toEqual({ firstName: 'Cher', lastName: null });
    expect(parseWholeNumber('1,200')).toBe(1200);
    expect(parseWholeNumber('250.0')).toBe(250);
    expect(parseWholeNumber('51-200')).toBeUndefined();
    expect(parseWholeNumber('1.5')).toBeUndefined();
  });

  it('tells how amounts are written from the values', () => {
    expect(guessNumberFormat(['12,000.50', '1,200', '99'])).toBe('1,234.56');
    expect(guessNumberFormat(['12.000,50', '1.200', '99'])).toBe('1.234,56');
    expect(guessNumberFormat(['EUR 12,5', '980,00 €'])).toBe('1.234,56');
    expect(guessNumberFormat(['1 200,50', '12 000'])).toBe('1 234,56');
    expect(guessNumberFormat(["1'200.50"])).toBe("1'234.56");
    expect(guessNumberFormat(['1,200,000', '$99.90'])).toBe('1,234.56');
    expect(guessNumberFormat(['12000', '500'])).toBe('1,234.56');
    expect(guessNumberFormat([])).toBe('1,234.56');
  });

  it('reads a head count, or a size band as its lower bound', () => {
    expect(parseHeadCount('250')).toBe(250);
    expect(parseHeadCount('51-200')).toBe(51);
    expect(parseHeadCount('1,001 – 5,000')).toBe(1001);
    expect(parseHeadCount('11 to 50')).toBe(11);
    expect(parseHeadCount('10,001+')).toBe(10001);
    expect(parseHeadCount('5000 or more')).toBe(5000);
    for (const unreadable of ['n/a', '200-51', '-5', 'many', '1.5', '']) {
      expect(parseHeadCount(unreadable), unreadable).toBeUndefined();
    }
  });
});

describe('the mapping format', () => {
  it('accepts every shipped preset', () => {
    expect(Object.fromEntries(presetNames().map((name) => [name, loadPreset(name).entity]))).toEqual({
      generic: 'people',
      'hubspot-companies': 'accounts',
      'hubspot-contacts': 'people',
      'hubspot-deals': 'opportunities',
      'lockstep-accounts': 'accounts',
      'lockstep-opportunities': 'opportunities',
      'lockstep-people': 'people',
      'pipedrive-deals': 'opportunities',
      'pipedrive-people': 'people',
      'salesforce-accounts': 'accounts',
      'salesforce-leads': 'people',
      'salesforce-opportunities': 'opportunities',
      'zoho-leads': 'people',
    });
  });

  it('checks an opportunities mapping: a deal id, deal fields only, a known number format', () => {
    const deals = { entity: 'opportunities', source: 'crm', columns: { externalId: 'Id', name: 'Deal' } };
    expect(parseMapping(deals, 'deals.json')).toMatchObject({
      numberFormat: '1,234.56',
      defaultCurrency: 'USD',
    });
    expect(mappingError({ ...deals, columns: { name: 'Deal' } })).toMatch(
      /must map externalId \(the CRM's deal id\)/,
    );
    expect(mappingError({ ...deals, columns: { externalId: 'Id', email: 'Email' } })).toMatch(
      /columns.email: is not an opportunity field/,
    );
    expect(mappingError({ ...minimal, columns: { email: 'Email', amount: 'Amount' } })).toMatch(
      /columns.amount: is an opportunity field; use "entity": "opportunities"/,
    );
    expect(mappingError({ ...deals, numberFormat: '1.234.56' })).toMatch(
      /numberFormat: must be "auto" or one of "1,234.56"/,
    );
    expect(mappingError({ ...deals, defaultCurrency: 'euro' })).toMatch(
      /defaultCurrency: must be a three-letter/,
    );
  });

  it('names the wrong key and says why', () => {
    expect(mappingError({ ...minimal, columns: { emial: 'Email' } })).toMatch(/columns: unknown key "emial"/);
    expect(mappingError({ ...minimal, entity: 'deals' })).toMatch(
      /entity: must be "people", "accounts" or "opportunities"/,
    );
    expect(mappingError({ ...minimal, source: 'Hub Spot' })).toMatch(
      /source: must be a short lower-case name/,
    );
    expect(mappingError({ ...minimal, dateFormat: 'dd/mm' })).toMatch(
      /dateFormat: must be "ISO" or a pattern/,
    );
    expect(mappingError({ ...minimal, timeZone: 'Mars/Olympus' })).toMatch(
      /timeZone: must be an IANA time zone/,
    );
    expect(mappingError({ ...minimal, columns: { firstName: 'First' } })).toMatch(
      /columns: must map externalId, email or lockstepId/,
    );
    expect(mappingError({ ...minimal, columns: { email: 3 } })).toMatch(
      /columns\.email: must be a header name/,
    );
  });

  it('fills in defaults', () => {
    const mapping = parseMapping(minimal, 'm.json');
    expect(mapping.dateFormat).toBe('ISO');
    expect(mapping.timeZone).toBe('UTC');
    expect(mapping.stageDates).toEqual({});
    expect(mapping.ignoreMissingColumns).toBe(false);
  });
});
