// Turns the form into the LeadDefinition the API takes, or says what is missing, rule by rule.
import type { EngagementRule, FitRule, LeadDefinition } from '../api/types.ts';
import type {
  DefinitionForm,
  DefinitionProblem,
  EngagementRuleForm,
  FitRuleForm,
  NumberField,
} from './draftForm.ts';
import { customFieldChoices } from './draftForm.ts';
import { engagementLabel, fitCondition } from './ruleWords.ts';
import { fieldKind, fieldLabel } from './vocabulary.ts';

export type DraftResult =
  | { rules: LeadDefinition; problems: [] }
  | { rules: null; problems: DefinitionProblem[] };

const attributeKey = /^[A-Za-z0-9_]{1,64}$/;
const activityType = /^[a-z][a-z0-9_]{0,63}$/;

const optional = (value: NumberField) => (value === '' ? undefined : value);

/** The definition the form describes; the problems a person must fix first when it cannot be built. */
export function definitionFromForm(form: DefinitionForm): DraftResult {
  const problems: DefinitionProblem[] = [];
  const fitRules = form.fitRules.flatMap((rule) => fitRuleFrom(rule, problems) ?? []);
  const engagementRules = form.engagementRules.flatMap((rule) => engagementRuleFrom(rule, problems) ?? []);
  const { A, B, C } = form.cutoffs;
  if (A === '' || B === '' || C === '')
    problems.push({ rule: null, message: 'Give each grade its cut-off.' });
  if (form.minEngagement === '') {
    problems.push({ rule: null, message: 'Say how many engagement points make a lead sales-ready.' });
  }
  if (problems.length > 0 || A === '' || B === '' || C === '' || form.minEngagement === '') {
    return { rules: null, problems };
  }
  return {
    rules: {
      fit: { rules: fitRules, gradeCutoffs: { A, B, C } },
      engagement: { rules: engagementRules, halfLifeDays: optional(form.halfLifeDays) ?? null },
      mql: { minGrade: form.minGrade, minEngagement: form.minEngagement },
    },
    problems: [],
  };
}

function fitRuleFrom(form: FitRuleForm, problems: DefinitionProblem[]): FitRule | undefined {
  const problem = (message: string) => {
    problems.push({ rule: form.id, message });
    return undefined;
  };
  const isCustom = (customFieldChoices as readonly string[]).includes(form.field);
  if (isCustom && !attributeKey.test(form.attributeKey.trim())) {
    return problem('Name the custom attribute (letters, digits and _).');
  }
  const field = isCustom ? `${form.field}.${form.attributeKey.trim()}` : form.field;
  if (form.points === '') return problem('Give the rule its points.');
  const base = { id: form.id, field, points: form.points };
  const isNumber = fieldKind(field) === 'number';
  const asValue = (text: string) =>
    isNumber && text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text.trim();
  const notNumbers = (texts: string[]) => isNumber && texts.some((text) => typeof asValue(text) !== 'number');
  if ((form.op === 'equals' && notNumbers([form.value])) || (form.op === 'in' && notNumbers(form.values)))
    return problem(`${fieldLabel(field)} is a number: give numbers, or use "is between".`);
  let rule: FitRule;
  switch (form.op) {
    case 'exists':
      rule = { ...base, op: 'exists' };
      break;
    case 'equals':
      if (form.value.trim() === '') return problem('Give the value to compare with.');
      rule = { ...base, op: 'equals', value: asValue(form.value) };
      break;
    case 'contains':
      if (form.value.trim() === '') return problem('Give the text to look for.');
      rule = { ...base, op: 'contains', value: form.value.trim() };
      break;
    case 'in':
      if (form.values.length === 0) return problem('Give at least one value (press Enter after each).');
      rule = { ...base, op: 'in', values: form.values.map(asValue) };
      break;
    case 'range':
      if (form.min === '' && form.max === '') return problem('Give a minimum, a maximum or both.');
      rule = { ...base, op: 'range', min: optional(form.min), max: optional(form.max) };
      if (rule.min === undefined) delete rule.min;
      if (rule.max === undefined) delete rule.max;
      break;
  }
  // A rule without a label is explained in words, not as "account.industry is Software".
  return { ...rule, label: form.label.trim() || fitCondition(rule) };
}

function engagementRuleFrom(
  form: EngagementRuleForm,
  problems: DefinitionProblem[],
): EngagementRule | undefined {
  const problem = (message: string) => {
    problems.push({ rule: form.id, message });
    return undefined;
  };
  if (!activityType.test(form.activityType)) {
    return problem('Name the activity type in lower_snake_case, e.g. trial_signup.');
  }
  if (form.points === '') return problem('Give the rule its points.');
  const property = form.property.trim();
  const contains = form.contains.trim();
  if ((property === '') !== (contains === '')) {
    return problem('Give both the property and the text it contains, or neither.');
  }
  const rule: EngagementRule = { id: form.id, activityType: form.activityType, points: form.points };
  if (property) rule.where = { property, contains };
  if (form.maxCount !== '') rule.maxCount = form.maxCount;
  if (form.withinDays !== '') rule.withinDays = form.withinDays;
  return { ...rule, label: form.label.trim() || engagementLabel(rule) };
}
