// Scores one lead against a definition and explains every point (pure: no database, no clock).
import type { EngagementRule, FitRule, Grade, LeadDefinition } from './definition.schema.ts';
import { grades } from './definition.schema.ts';
import type { LeadFields } from './fields.ts';
import { fitCondition } from './rule.words.ts';

export interface ScoredActivity {
  type: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

export interface RuleHit {
  rule: string;
  label: string;
  points: number;
  /** Engagement rules: how many activities counted. */
  count?: number;
}

export interface LeadScore {
  fit: { points: number; grade: Grade; hits: RuleHit[] };
  engagement: { points: number; hits: RuleHit[] };
  isMql: boolean;
  /** Why the lead is, or is not, an MQL, in words. */
  verdict: string;
}

const DAY_MS = 86_400_000;
const normal = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Plain decimal numbers only ("12", " 7.5 ", "1e3"), the same as the database's scoring accepts. */
export const NUMBER_TEXT = /^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/;

function numberOf(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : undefined;
}

function fitRuleMatches(rule: FitRule, value: LeadFields[string]): boolean {
  if (value === null || value === undefined || value === '') return false;
  switch (rule.op) {
    case 'exists':
      return true;
    case 'equals':
      return normal(value) === normal(rule.value);
    case 'in':
      return rule.values.some((candidate) => normal(candidate) === normal(value));
    case 'contains':
      return String(value).toLowerCase().includes(rule.value.toLowerCase());
    case 'range': {
      const number = numberOf(value);
      if (number === undefined) return false;
      return (rule.min === undefined || number >= rule.min) && (rule.max === undefined || number < rule.max);
    }
  }
}

function gradeOf(points: number, cutoffs: LeadDefinition['fit']['gradeCutoffs']): Grade {
  if (points >= cutoffs.A) return 'A';
  if (points >= cutoffs.B) return 'B';
  if (points >= cutoffs.C) return 'C';
  return 'D';
}

function engagementHit(
  rule: EngagementRule,
  activities: ScoredActivity[],
  now: Date,
  halfLifeDays: number | null,
): RuleHit | undefined {
  const matching = activities
    .filter((activity) => activity.type === rule.activityType)
    .filter(
      (activity) =>
        !rule.withinDays || now.getTime() - activity.occurredAt.getTime() <= rule.withinDays * DAY_MS,
    )
    .filter((activity) => {
      if (!rule.where) return true;
      const value = activity.properties[rule.where.property];
      return typeof value === 'string' && value.toLowerCase().includes(rule.where.contains.toLowerCase());
    })
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())
    .slice(0, rule.maxCount);
  if (matching.length === 0) return undefined;
  const points = matching.reduce((sum, activity) => {
    const ageDays = Math.max(0, (now.getTime() - activity.occurredAt.getTime()) / DAY_MS);
    return sum + rule.points * (halfLifeDays === null ? 1 : 0.5 ** (ageDays / halfLifeDays));
  }, 0);
  return {
    rule: rule.id,
    label:
      rule.label ??
      `${rule.activityType.replaceAll('_', ' ')}${rule.where ? ` (${rule.where.property} contains "${rule.where.contains}")` : ''}`,
    points: Math.round(points * 10) / 10,
    count: matching.length,
  };
}

export function scoreLead(
  definition: LeadDefinition,
  lead: { fields: LeadFields; activities: ScoredActivity[] },
  now: Date,
): LeadScore {
  const fitHits = definition.fit.rules
    .filter((rule) => fitRuleMatches(rule, lead.fields[rule.field]))
    .map((rule) => ({ rule: rule.id, label: rule.label || fitCondition(rule), points: rule.points }));
  const fitPoints = fitHits.reduce((sum, hit) => sum + hit.points, 0);
  const engagementHits = definition.engagement.rules.flatMap(
    (rule) => engagementHit(rule, lead.activities, now, definition.engagement.halfLifeDays) ?? [],
  );
  const engagementPoints = Math.round(engagementHits.reduce((sum, hit) => sum + hit.points, 0) * 10) / 10;
  return {
    fit: { points: fitPoints, grade: gradeOf(fitPoints, definition.fit.gradeCutoffs), hits: fitHits },
    engagement: { points: engagementPoints, hits: engagementHits },
    ...judgeLead(definition, fitPoints, engagementPoints),
  };
}

/** Whether fit and engagement points make an MQL under the definition, and why in words. */
export function judgeLead(
  definition: LeadDefinition,
  fitPoints: number,
  engagementPoints: number,
): { grade: Grade; isMql: boolean; verdict: string } {
  const grade = gradeOf(fitPoints, definition.fit.gradeCutoffs);
  const { minGrade, minEngagement } = definition.mql;
  const fitOk = grades.indexOf(grade) <= grades.indexOf(minGrade);
  const engagementOk = engagementPoints >= minEngagement;
  const needs = [
    fitOk ? null : `fit grade ${grade} is below ${minGrade}`,
    engagementOk ? null : `engagement ${engagementPoints} is below ${minEngagement}`,
  ].filter((reason) => reason !== null);
  return {
    grade,
    isMql: fitOk && engagementOk,
    verdict:
      needs.length === 0
        ? `MQL: fit grade ${grade} (needs ${minGrade} or better) and engagement ${engagementPoints} (needs ${minEngagement}).`
        : `Not an MQL: ${needs.join('; ')}.`,
  };
}
