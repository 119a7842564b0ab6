import type { conditionOperators, routableFields } from '../../../src/modules/routing/routing.schema.ts';
import type { RoutingCondition } from './promisesApi.ts';

type Field = (typeof routableFields)[number];
type Operator = (typeof conditionOperators)[number];

/** The fields a rule may look at, in words (the server's list, checked by the type). */
export const fieldLabels = {
  'person.source': 'Lead source',
  'person.country': 'Lead country',
  'person.title': 'Job title',
  'person.landing_page': 'Landing page',
  'person.email_domain': 'Email domain',
  'person.campaign_id': 'Campaign (id)',
  'account.name': 'Company name',
  'account.domain': 'Company domain',
  'account.industry': 'Industry',
  'account.employees': 'Employees',
  'account.country': 'Company country',
  'lead.grade': 'Fit grade',
} as const satisfies Record<Field, string>;

export const operatorLabels = {
  equals: 'is',
  not_equals: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  gte: 'is at least',
  lte: 'is at most',
  exists: 'is set',
} as const satisfies Record<Operator, string>;

export function fieldWords(field: string): string {
  return (
    (fieldLabels as Record<string, string>)[field] ?? field.replace(/^(person|account)\.attributes\./, '')
  );
}

/** "Industry is one of Software, Fintech" */
export function conditionWords(condition: RoutingCondition): string {
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : (condition.value ?? '');
  return `${fieldWords(condition.field)} ${operatorLabels[condition.op]}${condition.op === 'exists' ? '' : ` ${value}`}`;
}

/** The text a person types → the value the API takes: lists for in/not_in, numbers for gte/lte. */
export function conditionValue(op: Operator, text: string): RoutingCondition['value'] {
  if (op === 'exists') return undefined;
  if (op === 'in' || op === 'not_in') {
    return text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  if (op === 'gte' || op === 'lte') return Number(text);
  return text.trim();
}

export function valueText(value: RoutingCondition['value']): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
