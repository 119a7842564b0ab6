// What one version changes against another, one line per rule or setting, in the rules' own words.
import type { DefinitionDiff, DefinitionVersion, EngagementRule, FitRule } from '../api/types.ts';
import { countOf } from '../format.ts';
import { engagementLabel, fitCondition, pointsText, timesText } from './ruleWords.ts';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'setting';

export interface DiffLine {
  kind: ChangeKind;
  part: 'Fit' | 'Engagement' | 'Threshold';
  text: string;
}

/** "Company employees 200 to under 5,000, +40 points" */
export function fitRuleText(rule: FitRule): string {
  return `${fitCondition(rule)}, ${pointsText(rule.points)} points`;
}

/** "Page view where url contains “/pricing”, +15 points each, at most 5 times, within 30 days" */
export function engagementRuleText(rule: EngagementRule): string {
  return [
    `${engagementLabel(rule)}, ${pointsText(rule.points)} points each`,
    rule.maxCount === undefined ? null : `at most ${timesText(rule.maxCount)}`,
    rule.withinDays === undefined ? null : `within ${countOf(rule.withinDays, 'day')}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Only the points moved: "Company employees is 200 to under 5,000: +40 → +30 points"; else before → after. */
function changedText<T extends { points: number }>(
  before: T,
  after: T,
  condition: (rule: T) => string,
  describe: (rule: T) => string,
): string {
  const samePointsAside = describe({ ...before, points: after.points }) === describe(after);
  if (samePointsAside)
    return `${condition(after)}: ${pointsText(before.points)} → ${pointsText(after.points)} points`;
  return `${describe(before)} → ${describe(after)}`;
}

const fitOnly = (rule: FitRule) => fitCondition(rule);

/** Every change, rule by rule: added, removed and changed fit rules, then engagement rules, then thresholds. */
export function diffLines(diff: DefinitionDiff): DiffLine[] {
  const lines: DiffLine[] = [];
  const { fit, engagement } = diff;
  for (const rule of fit.added) lines.push({ kind: 'added', part: 'Fit', text: fitRuleText(rule) });
  for (const rule of fit.removed) lines.push({ kind: 'removed', part: 'Fit', text: fitRuleText(rule) });
  for (const { before, after } of fit.changed) {
    lines.push({ kind: 'changed', part: 'Fit', text: changedText(before, after, fitOnly, fitRuleText) });
  }
  for (const rule of engagement.added) {
    lines.push({ kind: 'added', part: 'Engagement', text: engagementRuleText(rule) });
  }
  for (const rule of engagement.removed) {
    lines.push({ kind: 'removed', part: 'Engagement', text: engagementRuleText(rule) });
  }
  for (const { before, after } of engagement.changed) {
    lines.push({
      kind: 'changed',
      part: 'Engagement',
      text: changedText(before, after, engagementLabel, engagementRuleText),
    });
  }
  for (const setting of diff.settings) {
    lines.push({
      kind: 'setting',
      part: 'Threshold',
      text: setting.charAt(0).toUpperCase() + setting.slice(1),
    });
  }
  return lines;
}

/** How much changed, counted: "Rules: 3 added, 1 removed. 1 threshold changed." */
export function diffSummary(lines: DiffLine[]): string {
  if (lines.length === 0) return 'No rule or threshold differs.';
  const count = (kind: ChangeKind) => lines.filter((line) => line.kind === kind).length;
  const parts = [
    count('added') && `${count('added')} added`,
    count('removed') && `${count('removed')} removed`,
    count('changed') && `${count('changed')} changed`,
  ].filter(Boolean);
  const rules = parts.length > 0 ? `Rules: ${parts.join(', ')}.` : '';
  const settings = count('setting')
    ? ` ${count('setting')} threshold${count('setting') === 1 ? '' : 's'} changed.`
    : '';
  return `${rules}${settings}`.trim();
}

/** The versions a version can be compared with, newest first: "Version 3 (in force)". */
export function comparisonOptions(versions: DefinitionVersion[], version: number) {
  return versions
    .filter((other) => other.version !== version)
    .map((other) => ({ value: String(other.version), label: `Version ${other.version} (${other.status})` }));
}

/** What a version is compared with first: the one in force, else the newest before it, else any other. */
export function defaultComparison(versions: DefinitionVersion[], version: number): number | undefined {
  const others = versions.filter((other) => other.version !== version);
  const before = others.filter((other) => other.version < version).sort((a, b) => b.version - a.version);
  return (others.find((other) => other.status === 'in force') ?? before[0] ?? others[0])?.version;
}
