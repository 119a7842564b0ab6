import { describe, expect, it } from 'vitest';
import type { ScorecardRule } from '../scorecard/scorecard.model.ts';
import { learnedFitRules } from './learned.rules.ts';
import type { TrainingRow } from './learned.store.ts';

const stats = { coefficient: 0.5, rows: 100, positives: 10 };
const lead = (fields: Partial<TrainingRow>): TrainingRow => ({
  id: 'p',
  outcome: 0,
  source: null,
  landingPage: null,
  title: null,
  country: null,
  industry: null,
  employees: null,
  accountCountry: null,
  ...fields,
});

describe('the fit rules of a learned draft', () => {
  it('read like the rules people write, with values spelled as the leads spell them', () => {
    const scorecard: ScorecardRule[] = [
      { kind: 'category', feature: 'accountCountry', value: 'us', points: 12, ...stats },
      { kind: 'category', feature: 'landingPage', value: '/pricing', points: 8, ...stats },
      { kind: 'range', feature: 'employees', range: [null, 170], points: -6, ...stats },
      { kind: 'range', feature: 'employees', range: [170, 1000], points: 4, ...stats },
      { kind: 'range', feature: 'employees', range: [1000, null], points: 9, ...stats },
      // The baseline and rules worth nothing are not rules of the draft.
      { kind: 'other', feature: 'accountCountry', points: 0, ...stats },
      { kind: 'missing', feature: 'industry', points: -3, ...stats },
      { kind: 'category', feature: 'industry', value: 'retail', points: 0, ...stats },
    ];
    const rows = [
      lead({ accountCountry: 'US', landingPage: '/pricing' }),
      lead({ accountCountry: ' US ' }),
      lead({ accountCountry: 'us' }),
    ];
    expect(learnedFitRules(scorecard, rows)).toEqual([
      {
        id: 'learned-accountcountry-1',
        label: 'Company country is US',
        field: 'account.country',
        op: 'equals',
        value: 'US',
        points: 12,
      },
      {
        id: 'learned-landingpage-2',
        label: 'Landing page is /pricing',
        field: 'person.landingPage',
        op: 'equals',
        value: '/pricing',
        points: 8,
      },
      {
        id: 'learned-employees-3',
        label: 'Company employees under 170',
        field: 'account.employees',
        op: 'range',
        max: 170,
        points: -6,
      },
      {
        id: 'learned-employees-4',
        label: 'Company employees 170 to under 1,000',
        field: 'account.employees',
        op: 'range',
        min: 170,
        max: 1000,
        points: 4,
      },
      {
        id: 'learned-employees-5',
        label: 'Company employees 1,000 or more',
        field: 'account.employees',
        op: 'range',
        min: 1000,
        points: 9,
      },
    ]);
  });
});
