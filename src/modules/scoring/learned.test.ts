import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { OLIST_DIR } from '../../test/olist.ts';
import { importOlist } from '../import/olist.import.ts';

describe('a lead definition learned from the Olist outcomes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await importOlist(t.database, OLIST_DIR);
  });
  afterAll(async () => t?.close());

  it('is proposed as a draft of readable fit rules, with its held-out quality', async () => {
    const admin = await t.as('admin');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/lead-definitions/learned',
      headers: admin,
      payload: { outcome: 'won' },
    });
    expect(response.statusCode).toBe(201);
    const { definition, evaluation, leads } = response.json();
    expect(leads).toBe(8000);
    // Origin and landing page alone (no contact month: it is not a lasting trait of a lead).
    expect(evaluation.auc).toBeGreaterThan(0.6);
    expect(evaluation.deciles[0].lift).toBeGreaterThan(1.5);
    expect(definition).toMatchObject({
      version: 1,
      status: 'draft',
      missingSignatures: ['marketing', 'sales'],
    });
    const fields = new Set(definition.rules.fit.rules.map((rule: { field: string }) => rule.field));
    expect([...fields].sort()).toEqual(['person.landingPage', 'person.source']);
    // In the files, email converts worst among the big sources (3.0%) and paid search well (12.3%).
    const sourceRule = (value: string) =>
      definition.rules.fit.rules.find(
        (rule: { field: string; value?: string }) => rule.field === 'person.source' && rule.value === value,
      );
    expect(sourceRule('email')?.points).toBeLessThan(0);
    expect(sourceRule('paid_search')?.points).toBeGreaterThan(0);
    // Labelled as a person would write them, not as the model's columns.
    expect(sourceRule('email')?.label).toBe('Lead source is email');
    for (const rule of definition.rules.fit.rules) {
      expect(rule.label).toBe(
        `${rule.field === 'person.source' ? 'Lead source' : 'Landing page'} is ${rule.value}`,
      );
    }
    const { A, B, C } = definition.rules.fit.gradeCutoffs;
    expect(A).toBeGreaterThan(B);
    expect(B).toBeGreaterThan(C);
    expect(definition.note).toMatch(
      /^Learned from 8,000 leads with a known outcome \(won\); held-out AUC 0\.\d{3}\./,
    );
  });
});
