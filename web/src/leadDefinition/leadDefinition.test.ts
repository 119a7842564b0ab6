import { describe, expect, test } from 'vitest';
import type { DefinitionVersion } from '../api/types.ts';
import { definitionFromForm } from './draftDefinition.ts';
import { formFromDefinition, newEngagementRule, newFitRule } from './draftForm.ts';
import { rescoringSentence } from './rescoringWords.ts';
import { definitionSentence, fitCondition, signatureState, timesText } from './ruleWords.ts';

const rules: DefinitionVersion['rules'] = {
  fit: {
    rules: [
      { id: 'saas', field: 'account.industry', op: 'in', values: ['Software', 'SaaS'], points: 30 },
      { id: 'size', field: 'account.employees', op: 'range', min: 200, max: 1000, points: 20 },
      { id: 'segment', field: 'account.attributes.segment', op: 'equals', value: 'mid_market', points: 5 },
    ],
    gradeCutoffs: { A: 60, B: 40, C: 20 },
  },
  engagement: {
    rules: [
      {
        id: 'pricing',
        activityType: 'page_view',
        where: { property: 'url', contains: '/pricing' },
        points: 10,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 60 },
};

const version: DefinitionVersion = {
  version: 3,
  status: 'in force',
  rules,
  note: null,
  createdAt: '2026-10-20T09:00:00.000Z',
  publishedAt: '2026-11-01T09:00:00.000Z',
  publishedBy: 'Ada Admin',
  effectiveFrom: '2026-11-01T09:00:00.000Z',
  signatures: [
    { team: 'marketing', userId: 'u1', name: 'Maya', signedAt: '2026-10-21T09:00:00.000Z' },
    { team: 'sales', userId: 'u2', name: 'Sam', signedAt: '2026-10-22T09:00:00.000Z' },
  ],
  missingSignatures: [],
  rescoring: null,
};

describe('the lead definition in words', () => {
  test('the page says what a sales-ready lead is, which version, who signed and since when', () => {
    expect(definitionSentence(version)).toBe(
      'A lead is sales-ready (MQL) when its fit grade is B or better and its engagement is at least 60 points — version 3, signed by Maya (marketing) and Sam (sales), in force since Nov 1, 2026.',
    );
    expect(definitionSentence(undefined)).toMatch(/^No lead definition is agreed yet/);
  });

  test('fit rules read as conditions, with the range end exclusive as the server counts it', () => {
    expect(rules.fit.rules.map(fitCondition)).toEqual([
      'Company industry is Software or SaaS',
      'Company employees 200 to under 1,000',
      'Company segment is mid_market',
    ]);
  });

  test('a version says whose signature it waits for', () => {
    expect(signatureState({ ...version, missingSignatures: ['marketing'] })).toBe('waiting for marketing');
    expect(signatureState({ ...version, missingSignatures: ['marketing', 'sales'] })).toBe(
      'waiting for marketing and sales',
    );
  });
});

describe('the draft form', () => {
  test('a definition survives the round trip through the form, gaining labels in words', () => {
    const draft = definitionFromForm(formFromDefinition(rules));
    expect(draft.problems).toEqual([]);
    expect(draft.rules?.fit.rules.map(({ label, ...rule }) => rule)).toEqual(rules.fit.rules);
    expect(draft.rules?.fit.rules[1]?.label).toBe('Company employees 200 to under 1,000');
    expect(draft.rules?.engagement.rules[0]).toEqual({
      ...rules.engagement.rules[0],
      label: 'Page view where url contains “/pricing”',
    });
    expect(draft.rules?.mql).toEqual(rules.mql);
  });

  test('an unfinished rule is named with what it still needs, and nothing is sent', () => {
    const form = formFromDefinition(undefined);
    const fit = { ...newFitRule(form), op: 'equals' as const, value: '' };
    const engagement = { ...newEngagementRule(form), property: 'url' };
    const draft = definitionFromForm({ ...form, fitRules: [fit], engagementRules: [engagement] });
    expect(draft.rules).toBeNull();
    expect(draft.problems).toEqual([
      { rule: 'fit-1', message: 'Give the value to compare with.' },
      { rule: 'engagement-1', message: 'Give both the property and the text it contains, or neither.' },
    ]);
  });

  test('a number field compares numbers, and an empty half-life means no decay', () => {
    const form = formFromDefinition(undefined);
    const fit = { ...newFitRule(form), field: 'account.employees', op: 'in' as const, values: ['50', '100'] };
    const draft = definitionFromForm({ ...form, fitRules: [fit], halfLifeDays: '' });
    expect(draft.rules?.fit.rules[0]).toMatchObject({ op: 'in', values: [50, 100] });
    expect(draft.rules?.engagement.halfLifeDays).toBeNull();
    const words = { ...fit, op: 'equals' as const, value: 'lots' };
    expect(definitionFromForm({ ...form, fitRules: [words] }).problems).toEqual([
      { rule: 'fit-1', message: 'Company employees is a number: give numbers, or use "is between".' },
    ]);
  });
});

test('a cap reads as how often a rule counts', () => {
  expect([1, 2, 5].map(timesText)).toEqual(['once', '2 times', '5 times']);
});

describe('re-scoring in words', () => {
  const run = {
    total: 1_000_000,
    done: 0,
    madeMql: 0,
    finishedAt: null,
    step: null,
    qualified: null,
    checked: 0,
    share: 0,
  } satisfies NonNullable<DefinitionVersion['rescoring']>;

  test('says which step a run is at and how much of it is done', () => {
    expect(rescoringSentence(4, run)).toBe(
      'Re-scoring 1,000,000 leads by version 4: 0% done, waiting for the job to start',
    );
    expect(rescoringSentence(4, { ...run, step: 'recent', share: 0.36 })).toBe(
      'Re-scoring 1,000,000 leads by version 4: 36% done, keeping only the most recent activities where a rule has a cap',
    );
    expect(
      rescoringSentence(4, {
        ...run,
        done: 1_000_000,
        step: 'mql',
        qualified: 81_262,
        checked: 40_631,
        madeMql: 40_100,
        share: 0.9149,
      }),
    ).toBe(
      'Re-scoring 1,000,000 leads by version 4: 91% done, moving qualified leads to MQL (40,631 of 81,262 checked, 40,100 became MQLs so far)',
    );
    // A workspace of one lead reads as one.
    expect(rescoringSentence(4, { ...run, total: 1 })).toBe(
      'Re-scoring 1 lead by version 4: 0% done, waiting for the job to start',
    );
  });
});
