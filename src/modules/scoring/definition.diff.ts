// What changed between two versions of the lead definition, rule by rule.
import type { LeadDefinition } from './definition.schema.ts';

interface Identified {
  id: string;
}

export interface RuleChanges<T extends Identified> {
  added: T[];
  removed: T[];
  changed: { id: string; before: T; after: T }[];
}

export interface DefinitionDiff {
  fit: RuleChanges<LeadDefinition['fit']['rules'][number]>;
  engagement: RuleChanges<LeadDefinition['engagement']['rules'][number]>;
  /** Thresholds and settings that differ, as "name: before → after". */
  settings: string[];
}

function compareRules<T extends Identified>(before: T[], after: T[]): RuleChanges<T> {
  const beforeById = new Map(before.map((rule) => [rule.id, rule]));
  const afterById = new Map(after.map((rule) => [rule.id, rule]));
  return {
    added: after.filter((rule) => !beforeById.has(rule.id)),
    removed: before.filter((rule) => !afterById.has(rule.id)),
    changed: after.flatMap((rule) => {
      const old = beforeById.get(rule.id);
      return old && JSON.stringify(old) !== JSON.stringify(rule)
        ? [{ id: rule.id, before: old, after: rule }]
        : [];
    }),
  };
}

export function diffDefinitions(before: LeadDefinition, after: LeadDefinition): DefinitionDiff {
  const settings: [string, unknown, unknown][] = [
    ['grade A from', before.fit.gradeCutoffs.A, after.fit.gradeCutoffs.A],
    ['grade B from', before.fit.gradeCutoffs.B, after.fit.gradeCutoffs.B],
    ['grade C from', before.fit.gradeCutoffs.C, after.fit.gradeCutoffs.C],
    [
      'engagement half-life (days)',
      before.engagement.halfLifeDays ?? 'none',
      after.engagement.halfLifeDays ?? 'none',
    ],
    ['MQL needs grade', before.mql.minGrade, after.mql.minGrade],
    ['MQL needs engagement', before.mql.minEngagement, after.mql.minEngagement],
  ];
  return {
    fit: compareRules(before.fit.rules, after.fit.rules),
    engagement: compareRules(before.engagement.rules, after.engagement.rules),
    settings: settings.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name}: ${a} → ${b}`),
  };
}
