import { describe, expect, it } from 'vitest';
import type { FitRule } from './definition.schema.ts';
import { fitCondition } from './rule.words.ts';

describe('a fit rule in words', () => {
  it('says each kind of condition as a person would write it', () => {
    const rule = { id: 'r', points: 10 };
    const rules: FitRule[] = [
      { ...rule, field: 'account.country', op: 'equals', value: 'US' },
      { ...rule, field: 'person.landingPage', op: 'equals', value: '/pricing' },
      { ...rule, field: 'account.industry', op: 'in', values: ['Software'] },
      { ...rule, field: 'account.industry', op: 'in', values: ['Software', 'SaaS', 'Fintech'] },
      { ...rule, field: 'person.title', op: 'contains', value: 'VP' },
      { ...rule, field: 'account.attributes.segment', op: 'exists' },
    ];
    expect(rules.map(fitCondition)).toEqual([
      'Company country is US',
      'Landing page is /pricing',
      'Company industry is Software',
      'Company industry is Software, SaaS or Fintech',
      'Job title contains “VP”',
      'Company segment is known',
    ]);
  });

  it('says a range with its bounds, the lower one included and the upper one not', () => {
    const range = (min?: number, max?: number) =>
      fitCondition({
        id: 'size',
        field: 'account.employees',
        op: 'range',
        points: 10,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      });
    expect(range(undefined, 170)).toBe('Company employees under 170');
    expect(range(170, 1000)).toBe('Company employees 170 to under 1,000');
    expect(range(5000)).toBe('Company employees 5,000 or more');
    expect(range()).toBe('Company employees is any number');
  });
});
