import { AppError } from '../../shared/errors.ts';
import type { FitRule, LeadDefinition } from './definition.schema.ts';
import { fieldType } from './fields.ts';

export interface DefinitionProblem {
  rule: string | null;
  message: string;
}

function gradeCutoff(definition: LeadDefinition): number {
  const { minGrade } = definition.mql;
  return minGrade === 'D' ? Number.NEGATIVE_INFINITY : definition.fit.gradeCutoffs[minGrade];
}

const normal = (value: string | number | boolean) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/**
 * The most fit points one lead can get. A field holds one value, so of the rules that list values
 * for it (is, is one of) only those naming the same value add up ("industry is Software" and
 * "industry is Fintech" never both match); other rules on a field are counted as if all matched.
 */
function bestFitPoints(rules: FitRule[]): number {
  const byField = new Map<string, FitRule[]>();
  for (const rule of rules) byField.set(rule.field, [...(byField.get(rule.field) ?? []), rule]);
  let best = 0;
  for (const fieldRules of byField.values()) {
    const positive = fieldRules.filter((rule) => rule.points > 0);
    const listing = positive.filter((rule) => rule.op === 'equals' || rule.op === 'in');
    const others = positive.filter((rule) => rule.op !== 'equals' && rule.op !== 'in');
    if (others.some((rule) => rule.op !== 'exists')) {
      best += positive.reduce((sum, rule) => sum + rule.points, 0);
      continue;
    }
    const valuesOf = (rule: FitRule) =>
      rule.op === 'equals' ? [normal(rule.value)] : rule.op === 'in' ? rule.values.map(normal) : [];
    const candidates = new Set(listing.flatMap(valuesOf));
    const bestValue = Math.max(
      0,
      ...[...candidates].map((value) =>
        listing.reduce((sum, rule) => sum + (valuesOf(rule).includes(value) ? rule.points : 0), 0),
      ),
    );
    best += bestValue + others.reduce((sum, rule) => sum + rule.points, 0);
  }
  return best;
}

/** Every reason the definition cannot be used, each naming its rule; empty when it is sound. */
export function findDefinitionProblems(definition: LeadDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const { fit, engagement, mql } = definition;
  const ids = [...fit.rules, ...engagement.rules].map((rule) => rule.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push({ rule: id, message: `two rules are called "${id}"; rule ids must be unique` });
  }
  if (fit.rules.length === 0 && engagement.rules.length === 0) {
    problems.push({
      rule: null,
      message: 'the definition has no rules: add at least one fit or engagement rule',
    });
  }
  for (const rule of fit.rules) {
    const type = fieldType(rule.field);
    if (type === undefined) {
      problems.push({ rule: rule.id, message: `unknown field "${rule.field}"` });
      continue;
    }
    if (rule.op === 'range' && type === 'text') {
      problems.push({ rule: rule.id, message: `"range" needs a number field; "${rule.field}" is text` });
    }
    if (rule.op === 'contains' && type === 'number') {
      problems.push({ rule: rule.id, message: `"contains" needs a text field; "${rule.field}" is a number` });
    }
    // A value of another type never equals the field's (score.ts compares types strictly).
    if (type !== 'custom' && (rule.op === 'equals' || rule.op === 'in')) {
      const values = rule.op === 'equals' ? [rule.value] : rule.values;
      const wrong = values.find((value) => typeof value !== (type === 'number' ? 'number' : 'string'));
      if (wrong !== undefined) {
        problems.push({
          rule: rule.id,
          message: `"${rule.field}" is ${type === 'number' ? 'a number' : 'text'}, so ${JSON.stringify(wrong)} can never match it; give ${type === 'number' ? 'a number' : 'the value as text'}`,
        });
      }
    }
    if (rule.op === 'range') {
      if (rule.min === undefined && rule.max === undefined) {
        problems.push({ rule: rule.id, message: 'a range needs a min, a max or both' });
      } else if (rule.min !== undefined && rule.max !== undefined && rule.min >= rule.max) {
        problems.push({
          rule: rule.id,
          message: `the range is empty: min ${rule.min} is not below max ${rule.max}`,
        });
      }
    }
  }
  const { A, B, C } = fit.gradeCutoffs;
  if (!(A > B && B > C)) {
    problems.push({ rule: null, message: `grade cut-offs must fall from A to C (A ${A} > B ${B} > C ${C})` });
  }
  const bestFit = bestFitPoints(fit.rules);
  if (gradeCutoff(definition) > bestFit) {
    problems.push({
      rule: null,
      message: `no lead can reach grade ${mql.minGrade}: it needs ${gradeCutoff(definition)} fit points and the rules give at most ${bestFit}`,
    });
  }
  const unbounded = engagement.rules.some((rule) => rule.points > 0 && rule.maxCount === undefined);
  const bestEngagement = engagement.rules.reduce(
    (sum, rule) => sum + Math.max(0, rule.points) * (rule.maxCount ?? 0),
    0,
  );
  if (!unbounded && mql.minEngagement > bestEngagement) {
    problems.push({
      rule: null,
      message: `no lead can reach ${mql.minEngagement} engagement points: the rules give at most ${bestEngagement}`,
    });
  }
  return problems;
}

/** Refuses a definition with problems: 400 with every problem listed, nothing changed. */
export function assertDefinitionUsable(definition: LeadDefinition): void {
  const problems = findDefinitionProblems(definition);
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new AppError(
    'invalid_definition',
    `${first.rule ? `Rule "${first.rule}": ` : ''}${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`,
    { problems },
  );
}
