// Rules and definitions in sentences a sales manager reads without knowing the JSON behind them.
import type { DefinitionVersion, EngagementRule, LeadDefinition } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { activityLabel } from './vocabulary.ts';

const quoted = (value: string) => `“${value}”`;

/** "Company employees 200 to under 1,000", "Job title contains “VP”": the server's words for a fit rule. */
export { fitCondition } from '../../../src/modules/scoring/rule.words.ts';

/** "each, where url contains “/pricing”" or "each" */
export function engagementCondition(rule: EngagementRule): string {
  return rule.where ? `${rule.where.property} contains ${quoted(rule.where.contains)}` : 'any';
}

export function engagementActivity(rule: EngagementRule): string {
  return activityLabel(rule.activityType);
}

/** The label a rule gets when nobody wrote one: "Page view where url contains “/pricing”". */
export function engagementLabel(rule: EngagementRule): string {
  const activity = activityLabel(rule.activityType);
  return rule.where ? `${activity} where ${engagementCondition(rule)}` : activity;
}

export function pointsText(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

/** "once", "3 times": how often a capped rule counts. */
export function timesText(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

/** "B or better", "A", "any grade" */
export function gradeThreshold(minGrade: LeadDefinition['mql']['minGrade']): string {
  if (minGrade === 'A') return 'A';
  if (minGrade === 'D') return 'any grade';
  return `${minGrade} or better`;
}

/** The MQL rule in one clause: "its fit grade is B or better and its engagement is at least 60 points". */
export function mqlClause({ mql }: LeadDefinition): string {
  const fit =
    mql.minGrade === 'D' ? 'it has any fit grade' : `its fit grade is ${gradeThreshold(mql.minGrade)}`;
  return `${fit} and its engagement is at least ${mql.minEngagement} points`;
}

/** "Maya (marketing) and Sam (sales)" */
export function signersText(version: DefinitionVersion): string {
  return version.signatures.map((signature) => `${signature.name} (${signature.team})`).join(' and ');
}

/** The page's answer: what a sales-ready lead is, which version says so, and who agreed. */
export function definitionSentence(inForce: DefinitionVersion | undefined): string {
  if (!inForce) return 'No lead definition is agreed yet, so no lead becomes sales-ready (MQL) by score.';
  const since = inForce.effectiveFrom ? `, in force since ${formatDate(inForce.effectiveFrom)}` : '';
  return `A lead is sales-ready (MQL) when ${mqlClause(inForce.rules)} — version ${inForce.version}, signed by ${signersText(inForce)}${since}.`;
}

/** "waiting for marketing", "waiting for marketing and sales", "signed by both teams" */
export function signatureState(version: DefinitionVersion): string {
  if (version.missingSignatures.length === 0) return 'signed by both teams';
  return `waiting for ${version.missingSignatures.join(' and ')}`;
}

/** "A at 60 fit points, B at 40, C at 20; below that D." */
export function gradeCutoffsText({ fit }: LeadDefinition): string {
  const { A, B, C } = fit.gradeCutoffs;
  return `A from ${A} fit points, B from ${B}, C from ${C}; below ${C} is D.`;
}

export function decayText({ engagement }: LeadDefinition): string {
  return engagement.halfLifeDays === null
    ? 'Engagement points do not fade.'
    : `Engagement points lose half their value every ${engagement.halfLifeDays === 1 ? 'day' : `${engagement.halfLifeDays} days`}.`;
}
