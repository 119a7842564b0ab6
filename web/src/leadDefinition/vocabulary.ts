// The words the lead definition pages use for fields, operators and activity types.
import { fieldLabel, fieldType } from '../../../src/modules/scoring/fields.ts';
import type { FitRule, KnownActivityType } from '../api/types.ts';
import { humanize } from '../format.ts';

export { fieldLabel };

export type FieldKind = 'text' | 'number' | 'custom';
export type FitOperator = FitRule['op'];

/** The fields the server knows, in the order the draft form offers them, as a person would name them. */
export const knownFields: { value: string; label: string; kind: FieldKind }[] = [
  'account.industry',
  'account.employees',
  'account.country',
  'account.domain',
  'person.title',
  'person.country',
  'person.source',
  'person.landingPage',
  'person.emailDomain',
].map((value) => ({ value, label: fieldLabel(value), kind: fieldType(value) ?? 'custom' }));

export function fieldKind(field: string): FieldKind {
  return fieldType(field) ?? 'custom';
}

export const operatorLabels: Record<FitOperator, string> = {
  equals: 'is',
  in: 'is one of',
  contains: 'contains',
  range: 'is between',
  exists: 'is known',
};

/** The operators that make sense for a field: text is compared, numbers fall in a range. */
export function operatorsFor(kind: FieldKind): FitOperator[] {
  if (kind === 'number') return ['range', 'equals', 'exists'];
  if (kind === 'text') return ['equals', 'in', 'contains', 'exists'];
  return ['equals', 'in', 'contains', 'range', 'exists'];
}

export const activityTypeLabels: Record<KnownActivityType, string> = {
  page_view: 'Page view',
  form_submit: 'Form submit',
  email_open: 'Email open',
  email_click: 'Email click',
  webinar: 'Webinar',
  meeting: 'Meeting',
  call: 'Call',
  content_download: 'Content download',
};

export const knownActivityTypes = Object.keys(activityTypeLabels) as KnownActivityType[];

/** "email_click" → "Email click"; a custom type "trial_signup" → "Trial signup". */
export function activityLabel(type: string): string {
  if (type in activityTypeLabels) return activityTypeLabels[type as KnownActivityType];
  return humanize(type);
}
