import { describe, expect, it } from 'vitest';
import { parseMapping } from './import.mapping.ts';
import { guessDateFormat, suggestMapping } from './import.suggest.ts';

describe('a first mapping for a file no preset fits', () => {
  // A Zoho CRM leads export: no shipped preset knows it.
  const headers = [
    'Record Id',
    'Lead Owner',
    'First Name',
    'Last Name',
    'Email',
    'Company',
    'Lead Source',
    'Lead Status',
    'Created Time',
    'No. of Employees',
    'Rating',
  ];
  const rows = [
    [
      'zcrm_1',
      'Ana Owner',
      'Ada',
      'Lovelace',
      'ada@engines.example',
      'Engines',
      'Web',
      'Contacted',
      '13/02/2025 10:00',
      '40',
      'Hot',
    ],
    [
      'zcrm_2',
      'Ana Owner',
      'Alan',
      'Turing',
      'alan@park.example',
      'Park',
      'Trade Show',
      'Qualified',
      '01/03/2025 09:15',
      '12',
      'Warm',
    ],
  ];

  it('puts each header on the field it names, keeps the others as attributes, and reads the dates', () => {
    const people = suggestMapping('people', headers, rows);
    expect(people.columns).toEqual({
      externalId: 'Record Id',
      email: 'Email',
      firstName: 'First Name',
      lastName: 'Last Name',
      companyName: 'Company',
      source: 'Lead Source',
      stage: 'Lead Status',
      createdAt: 'Created Time',
      employees: 'No. of Employees',
    });
    expect(people.attributes).toEqual(['Lead Owner', 'Rating']);
    // 13/02 can only be the 13th of February: day first.
    expect(people.dateFormat).toBe('DD/MM/YYYY HH:mm');
    // What it suggests is a mapping the importer takes.
    expect(() => parseMapping({ ...people, source: 'zoho' }, 'suggested')).not.toThrow();
  });

  it('fills only the fields of the kind of record chosen', () => {
    const accounts = suggestMapping('accounts', headers, rows);
    expect(accounts.columns).toEqual({ companyName: 'Company', employees: 'No. of Employees' });
    // The rest is kept, as the accounts' custom fields, for a person to leave out what is not the company's.
    expect(accounts.attributes).toEqual([
      'Record Id',
      'Lead Owner',
      'First Name',
      'Last Name',
      'Email',
      'Lead Source',
      'Lead Status',
      'Created Time',
      'Rating',
    ]);
    const deals = suggestMapping(
      'opportunities',
      ['Deal Name', 'Amount', 'Stage', 'Close Date', 'Account Name'],
      [],
    );
    expect(deals.columns).toEqual({
      name: 'Deal Name',
      amount: 'Amount',
      stage: 'Stage',
      closedAt: 'Close Date',
      companyName: 'Account Name',
    });
  });

  it('tells day-first from month-first dates by the values, and keeps times and AM/PM', () => {
    expect(guessDateFormat(['2025-02-13T10:00:00Z', '2025-03-01'])).toBe('ISO');
    expect(guessDateFormat(['4/8/2025 5:19 PM', '12/1/2024 10:00 AM'])).toBe('MM/DD/YYYY HH:mm A');
    expect(guessDateFormat(['4/8/2025', '12/1/2024'])).toBe('MM/DD/YYYY');
    expect(guessDateFormat(['4/8/2025', '25/1/2024'])).toBe('DD/MM/YYYY');
    expect(guessDateFormat(['31.12.2024 23:30:05'])).toBe('DD.MM.YYYY HH:mm:ss');
    expect(guessDateFormat(['13-02-2025'])).toBe('DD-MM-YYYY');
    expect(guessDateFormat([])).toBe('ISO');
    // One mistyped value does not turn a month-first file around, nor a day-first one.
    expect(guessDateFormat(['4/8/2025 17:19', '13/45/2025 10:00', '3/15/2025 11:00'])).toBe(
      'MM/DD/YYYY HH:mm',
    );
    expect(guessDateFormat(['27/10/2026', '3/11/2026', '13/45/2026'])).toBe('DD/MM/YYYY');
    expect(guessDateFormat(['2026/11/03 14:05', '2026/11/27'])).toBe('YYYY/MM/DD HH:mm');
    expect(guessDateFormat(['01.02.2024'])).toBe('DD.MM.YYYY');
  });
});
