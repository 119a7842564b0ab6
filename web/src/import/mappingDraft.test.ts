import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../api/imports.ts';
import { draftFrom, draftProblems, likelyEntity, mappingOf, stageValuesIn, withUse } from './mappingDraft.ts';

const stages = [
  { key: 'new', label: 'New lead' },
  { key: 'mql', label: 'MQL' },
  { key: 'sql', label: 'SQL' },
  { key: 'won', label: 'Won' },
];

// What POST /api/imports/preview answers for a small Zoho export.
const preview: ImportPreview = {
  headers: ['Record Id', 'Email', 'Company', 'Lead Status', 'Rating'],
  rows: [
    ['z1', 'ada@engines.example', 'Engines', 'Contacted', 'Hot'],
    ['z2', 'alan@park.example', 'Park', 'Won', 'Warm'],
    ['z3', 'grace@navy.example', 'Navy', 'Contacted', ''],
    ['z4', 'edsger@structured.example', 'Structured', 'Marketing Qualified Lead', ''],
  ],
  preset: null,
  suggestions: {
    people: {
      entity: 'people',
      columns: { externalId: 'Record Id', email: 'Email', companyName: 'Company', stage: 'Lead Status' },
      attributes: ['Rating'],
      dateFormat: 'ISO',
    },
    accounts: { entity: 'accounts', columns: { companyName: 'Company' }, attributes: [], dateFormat: 'ISO' },
    opportunities: {
      entity: 'opportunities',
      columns: { stage: 'Lead Status' },
      attributes: [],
      dateFormat: 'ISO',
    },
  },
  fields: { people: [], accounts: [], opportunities: [] },
  stages: { people: stages, opportunities: [] },
  notes: [],
  sheets: null,
  stageWords: { marketingqualifiedlead: 'mql', customer: 'won' },
};

describe('the mapping a person builds on the Import page', () => {
  it("starts from the server's suggestion, with the stage values it can place placed", () => {
    expect(likelyEntity(preview)).toBe('people');
    const draft = draftFrom(preview, 'people', 'zoho');
    expect(stageValuesIn(preview, draft)).toEqual(['Contacted', 'Won', 'Marketing Qualified Lead']);
    // By a stage's label, or by the word CRMs use for a stage.
    expect(draft.stageValues).toEqual({ Won: 'won', 'Marketing Qualified Lead': 'mql' });
    expect(mappingOf(draft)).toEqual({
      entity: 'people',
      source: 'zoho',
      columns: { externalId: 'Record Id', email: 'Email', companyName: 'Company', stage: 'Lead Status' },
      attributes: ['Rating'],
      valueMaps: { stage: { Won: 'won', 'Marketing Qualified Lead': 'mql' } },
      dateFormat: 'ISO',
    });
    expect(draftProblems(draft)).toEqual([]);
    // Values further down the file than the rows read: refused unless a stage is chosen for them.
    expect(mappingOf({ ...draft, otherStage: 'new' })).toMatchObject({ unknownStage: 'new' });
  });

  it('gives a field one column: the column that held it goes back to being kept', () => {
    const draft = withUse(draftFrom(preview, 'people', 'zoho'), 'Rating', 'email');
    expect(draft.uses).toMatchObject({ Rating: 'email', Email: 'attribute' });
    const withoutIds = withUse(withUse(draft, 'Rating', 'ignore'), 'Record Id', 'ignore');
    expect(mappingOf(withoutIds).columns).toEqual({ companyName: 'Company', stage: 'Lead Status' });
    expect(draftProblems(withoutIds)).toEqual([
      'Choose the Email or the "ID in your CRM" column: without one, importing again could not find the same person.',
    ]);
    expect(draftProblems({ ...withoutIds, source: 'Zoho CRM' })).toHaveLength(2);
  });

  it("keeps the other columns of an accounts file as the accounts' custom fields, unless left out", () => {
    const accounts = draftFrom(preview, 'accounts', 'zoho');
    expect(mappingOf(accounts)).toEqual({
      entity: 'accounts',
      source: 'zoho',
      columns: { companyName: 'Company' },
      attributes: ['Record Id', 'Email', 'Lead Status', 'Rating'],
      dateFormat: 'ISO',
    });
    const fewer = withUse(
      withUse(withUse(accounts, 'Record Id', 'ignore'), 'Email', 'ignore'),
      'Lead Status',
      'ignore',
    );
    expect(mappingOf(fewer).attributes).toEqual(['Rating']);
    expect(
      likelyEntity({
        ...preview,
        suggestions: { ...preview.suggestions, people: { ...preview.suggestions.people, columns: {} } },
      }),
    ).toBe('accounts');
  });
});
