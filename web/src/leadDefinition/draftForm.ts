// The "New draft" form's state, and its translation to and from the LeadDefinition the API takes.
import type { FitRule, Grade, LeadDefinition } from '../api/types.ts';
import { type FitOperator, fieldKind, knownFields, operatorsFor } from './vocabulary.ts';

/** An input left empty is '' (what Mantine's NumberInput gives back), not 0. */
export type NumberField = number | '';

export interface FitRuleForm {
  id: string;
  label: string;
  /** A known field ("account.industry") or a custom attribute prefix ("account.attributes"). */
  field: string;
  attributeKey: string;
  op: FitOperator;
  value: string;
  values: string[];
  min: NumberField;
  max: NumberField;
  points: NumberField;
}

export interface EngagementRuleForm {
  id: string;
  label: string;
  activityType: string;
  property: string;
  contains: string;
  points: NumberField;
  maxCount: NumberField;
  withinDays: NumberField;
}

export interface DefinitionForm {
  fitRules: FitRuleForm[];
  cutoffs: Record<'A' | 'B' | 'C', NumberField>;
  engagementRules: EngagementRuleForm[];
  halfLifeDays: NumberField;
  minGrade: Grade;
  minEngagement: NumberField;
  note: string;
}

export interface DefinitionProblem {
  rule: string | null;
  message: string;
}

export const customFieldChoices = ['person.attributes', 'account.attributes'] as const;

/** A fresh form: the version in force to change, or a sensible empty template for the first one. */
export function formFromDefinition(rules: LeadDefinition | undefined): DefinitionForm {
  if (!rules) {
    return {
      fitRules: [],
      cutoffs: { A: 60, B: 40, C: 20 },
      engagementRules: [],
      halfLifeDays: 30,
      minGrade: 'B',
      minEngagement: 50,
      note: '',
    };
  }
  return {
    fitRules: rules.fit.rules.map(fitRuleForm),
    cutoffs: { ...rules.fit.gradeCutoffs },
    engagementRules: rules.engagement.rules.map((rule) => ({
      id: rule.id,
      label: rule.label ?? '',
      activityType: rule.activityType,
      property: rule.where?.property ?? '',
      contains: rule.where?.contains ?? '',
      points: rule.points,
      maxCount: rule.maxCount ?? '',
      withinDays: rule.withinDays ?? '',
    })),
    halfLifeDays: rules.engagement.halfLifeDays ?? '',
    minGrade: rules.mql.minGrade,
    minEngagement: rules.mql.minEngagement,
    note: '',
  };
}

function fitRuleForm(rule: FitRule): FitRuleForm {
  const custom = /^(person|account)\.attributes\.(.+)$/.exec(rule.field);
  return {
    id: rule.id,
    label: rule.label ?? '',
    field: custom ? `${custom[1]}.attributes` : rule.field,
    attributeKey: custom?.[2] ?? '',
    op: rule.op,
    value: rule.op === 'equals' || rule.op === 'contains' ? String(rule.value) : '',
    values: rule.op === 'in' ? rule.values.map(String) : [],
    min: rule.op === 'range' ? (rule.min ?? '') : '',
    max: rule.op === 'range' ? (rule.max ?? '') : '',
    points: rule.points,
  };
}

function unusedId(prefix: string, taken: { id: string }[]): string {
  for (let n = taken.length + 1; ; n++) {
    if (!taken.some((rule) => rule.id === `${prefix}-${n}`)) return `${prefix}-${n}`;
  }
}

export function newFitRule(form: DefinitionForm): FitRuleForm {
  const field = knownFields[0]?.value ?? 'account.industry';
  return {
    id: unusedId('fit', form.fitRules),
    label: '',
    field,
    attributeKey: '',
    op: operatorsFor(fieldKind(field))[0] ?? 'equals',
    value: '',
    values: [],
    min: '',
    max: '',
    points: 10,
  };
}

export function newEngagementRule(form: DefinitionForm): EngagementRuleForm {
  return {
    id: unusedId('engagement', form.engagementRules),
    label: '',
    activityType: 'page_view',
    property: '',
    contains: '',
    points: 5,
    maxCount: '',
    withinDays: '',
  };
}
