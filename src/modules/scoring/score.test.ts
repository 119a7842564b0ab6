import { describe, expect, it } from 'vitest';
import { diffDefinitions } from './definition.diff.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { leadDefinitionSchema } from './definition.schema.ts';
import { assertDefinitionUsable, findDefinitionProblems } from './definition.validate.ts';
import { scoreLead } from './score.ts';

const now = new Date('2026-06-30T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

const definition: LeadDefinition = leadDefinitionSchema.parse({
  fit: {
    rules: [
      { id: 'saas', field: 'account.industry', op: 'in', values: ['Software', 'SaaS'], points: 20 },
      { id: 'mid-market', field: 'account.employees', op: 'range', min: 200, max: 5000, points: 15 },
      { id: 'vp', field: 'person.title', op: 'contains', value: 'VP', points: 10 },
      { id: 'student', field: 'person.title', op: 'contains', value: 'student', points: -30 },
      { id: 'segment', field: 'account.attributes.segment', op: 'equals', value: 'enterprise', points: 5 },
    ],
    gradeCutoffs: { A: 40, B: 25, C: 10 },
  },
  engagement: {
    rules: [
      {
        id: 'pricing',
        activityType: 'page_view',
        where: { property: 'path', contains: '/pricing' },
        points: 10,
        maxCount: 3,
      },
      { id: 'webinar', activityType: 'webinar', points: 25 },
      {
        id: 'careers',
        activityType: 'page_view',
        where: { property: 'path', contains: '/careers' },
        points: -15,
      },
    ],
    halfLifeDays: 30,
  },
  mql: { minGrade: 'B', minEngagement: 30 },
});

describe('scoreLead', () => {
  it('adds fit points, grades them and explains each rule that fired', () => {
    const score = scoreLead(
      definition,
      {
        fields: {
          'account.industry': 'saas',
          'account.employees': 800,
          'person.title': 'VP Marketing',
          'account.attributes.segment': 'Enterprise',
        },
        activities: [],
      },
      now,
    );
    expect(score.fit).toEqual({
      points: 50,
      grade: 'A',
      hits: [
        { rule: 'saas', label: 'Company industry is Software or SaaS', points: 20 },
        { rule: 'mid-market', label: 'Company employees 200 to under 5,000', points: 15 },
        { rule: 'vp', label: 'Job title contains “VP”', points: 10 },
        { rule: 'segment', label: 'Company segment is enterprise', points: 5 },
      ],
    });
    expect(score.isMql).toBe(false);
    expect(score.verdict).toBe('Not an MQL: engagement 0 is below 30.');
  });

  it('halves engagement points every half-life and caps counted activities', () => {
    const activities = [
      { type: 'page_view', occurredAt: daysAgo(0), properties: { path: '/pricing' } },
      { type: 'page_view', occurredAt: daysAgo(30), properties: { path: '/pricing/enterprise' } },
      { type: 'page_view', occurredAt: daysAgo(60), properties: { path: '/pricing' } },
      { type: 'page_view', occurredAt: daysAgo(90), properties: { path: '/pricing' } },
      { type: 'webinar', occurredAt: daysAgo(30), properties: {} },
      { type: 'page_view', occurredAt: daysAgo(0), properties: { path: '/careers' } },
      { type: 'page_view', occurredAt: daysAgo(0), properties: { path: '/blog' } },
    ];
    const score = scoreLead(
      definition,
      { fields: { 'account.industry': 'Software', 'account.employees': 300 }, activities },
      now,
    );
    // pricing: the 3 most recent count: 10 + 5 + 2.5; webinar 25 / 2; careers −15.
    expect(score.engagement.hits).toEqual([
      { rule: 'pricing', label: 'page view (path contains "/pricing")', points: 17.5, count: 3 },
      { rule: 'webinar', label: 'webinar', points: 12.5, count: 1 },
      { rule: 'careers', label: 'page view (path contains "/careers")', points: -15, count: 1 },
    ]);
    expect(score.engagement.points).toBe(15);
    expect(score.fit.grade).toBe('B');
    expect(score.isMql).toBe(false);
  });

  it('makes an MQL when both the grade and the engagement meet the thresholds', () => {
    const activities = [
      { type: 'webinar', occurredAt: daysAgo(1), properties: {} },
      { type: 'page_view', occurredAt: daysAgo(2), properties: { path: '/pricing' } },
    ];
    const score = scoreLead(
      definition,
      { fields: { 'account.industry': 'SaaS', 'account.employees': 250 }, activities },
      now,
    );
    expect(score.fit.grade).toBe('B');
    expect(score.engagement.points).toBeCloseTo(24.4 + 9.5, 0);
    expect(score.isMql).toBe(true);
    expect(score.verdict).toMatch(
      /^MQL: fit grade B \(needs B or better\) and engagement 3\d\.\d \(needs 30\)\.$/,
    );
  });

  it('ignores empty fields and non-numbers in ranges, and negative rules lower the grade', () => {
    const score = scoreLead(
      definition,
      {
        fields: { 'account.employees': 'n/a', 'person.title': 'PhD student', 'account.industry': '' },
        activities: [],
      },
      now,
    );
    expect(score.fit).toMatchObject({ points: -30, grade: 'D' });
  });
});

describe('refusing a bad definition', () => {
  const broken = leadDefinitionSchema.parse({
    fit: {
      rules: [
        { id: 'size', field: 'account.headcount', op: 'exists', points: 5 },
        { id: 'title-range', field: 'person.title', op: 'range', min: 1, points: 5 },
        { id: 'empty-range', field: 'account.employees', op: 'range', min: 500, max: 100, points: 5 },
        { id: 'size', field: 'account.employees', op: 'contains', value: '1', points: 5 },
        { id: 'lots', field: 'account.employees', op: 'equals', value: 'lots', points: 5 },
        { id: 'sizes', field: 'account.employees', op: 'in', values: [50, 'big'], points: 5 },
        { id: 'titled', field: 'person.title', op: 'equals', value: true, points: 5 },
        { id: 'seats', field: 'person.attributes.seats', op: 'in', values: [10, 'ten'], points: 5 },
      ],
      gradeCutoffs: { A: 10, B: 20, C: 5 },
    },
    engagement: {
      rules: [{ id: 'demo', activityType: 'meeting', points: 10, maxCount: 2 }],
      halfLifeDays: null,
    },
    mql: { minGrade: 'A', minEngagement: 50 },
  });

  it('names every rule and why', () => {
    expect(findDefinitionProblems(broken)).toEqual([
      { rule: 'size', message: 'two rules are called "size"; rule ids must be unique' },
      { rule: 'size', message: 'unknown field "account.headcount"' },
      { rule: 'title-range', message: '"range" needs a number field; "person.title" is text' },
      { rule: 'empty-range', message: 'the range is empty: min 500 is not below max 100' },
      { rule: 'size', message: '"contains" needs a text field; "account.employees" is a number' },
      {
        rule: 'lots',
        message: '"account.employees" is a number, so "lots" can never match it; give a number',
      },
      {
        rule: 'sizes',
        message: '"account.employees" is a number, so "big" can never match it; give a number',
      },
      {
        rule: 'titled',
        message: '"person.title" is text, so true can never match it; give the value as text',
      },
      { rule: null, message: 'grade cut-offs must fall from A to C (A 10 > B 20 > C 5)' },
      { rule: null, message: 'no lead can reach 50 engagement points: the rules give at most 20' },
    ]);
  });

  it('throws a 400 whose message names the first problem and counts the rest', () => {
    expect(() => assertDefinitionUsable(broken)).toThrow(
      'Rule "size": two rules are called "size"; rule ids must be unique (and 9 more).',
    );
    expect(() => assertDefinitionUsable(definition)).not.toThrow();
  });

  it('knows that one field holds one value: rules naming different values never add up', () => {
    const exclusive = leadDefinitionSchema.parse({
      fit: {
        rules: [
          { id: 'software', field: 'account.industry', op: 'equals', value: 'Software', points: 30 },
          { id: 'fintech', field: 'account.industry', op: 'equals', value: 'Fintech', points: 30 },
          { id: 'listed', field: 'account.industry', op: 'in', values: ['fintech', 'Retail'], points: 5 },
          { id: 'known', field: 'account.industry', op: 'exists', points: 2 },
          { id: 'head', field: 'person.title', op: 'contains', value: 'Head', points: 10 },
          { id: 'vp', field: 'person.title', op: 'contains', value: 'VP', points: 10 },
        ],
        gradeCutoffs: { A: 60, B: 40, C: 10 },
      },
      engagement: { rules: [], halfLifeDays: null },
      mql: { minGrade: 'A', minEngagement: 0 },
    });
    // Fintech (30 + 5) and known (2), and both title rules (contains can match together): 57.
    expect(findDefinitionProblems(exclusive).map((p) => p.message)).toEqual([
      'no lead can reach grade A: it needs 60 fit points and the rules give at most 57',
    ]);
    exclusive.fit.gradeCutoffs.A = 57;
    expect(findDefinitionProblems(exclusive)).toEqual([]);
  });

  it('refuses an empty definition and an unreachable grade', () => {
    const empty = leadDefinitionSchema.parse({
      fit: { rules: [], gradeCutoffs: { A: 30, B: 20, C: 10 } },
      engagement: { rules: [], halfLifeDays: null },
      mql: { minGrade: 'B', minEngagement: 0 },
    });
    expect(findDefinitionProblems(empty).map((p) => p.message)).toEqual([
      'the definition has no rules: add at least one fit or engagement rule',
      'no lead can reach grade B: it needs 20 fit points and the rules give at most 0',
    ]);
  });
});

describe('diffDefinitions', () => {
  it('lists added, removed and changed rules and the settings that moved', () => {
    const next = structuredClone(definition);
    next.fit.rules = next.fit.rules.filter((rule) => rule.id !== 'student');
    next.fit.rules[0] = { ...next.fit.rules[0]!, points: 25 };
    next.engagement.rules.push({ id: 'demo', activityType: 'meeting', points: 30 });
    next.mql.minEngagement = 40;
    const diff = diffDefinitions(definition, next);
    expect(diff.fit.removed.map((r) => r.id)).toEqual(['student']);
    expect(diff.fit.changed).toEqual([
      { id: 'saas', before: definition.fit.rules[0], after: next.fit.rules[0] },
    ]);
    expect(diff.fit.added).toEqual([]);
    expect(diff.engagement.added.map((r) => r.id)).toEqual(['demo']);
    expect(diff.settings).toEqual(['MQL needs engagement: 30 → 40']);
  });
});
