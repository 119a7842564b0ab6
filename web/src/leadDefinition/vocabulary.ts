// The words the lead definition pages use for fields, operators and activity types.
import type { FitRule, KnownActivityType } from '../api/types.ts';
import { humanize } from '../format.ts';

export type FieldKind = 'text' | 'number' | 'custom';
export type FitOperator = FitRule['op'];

/** The fields the server knows (src/modules/scoring/fields.ts), as a person would name them. */
export const knownFields: { value: string; label: string; kind: FieldKind }[] = [
  { value: 'account.industry', label: 'Company industry', kind: 'text' },
  { value: 'account.employees', label: 'Company employees', kind: 'number' },
  { value: 'account.country', label: 'Company country', kind: 'text' },
  { value: 'account.domain', label: 'Company domain', kind: 'text' },
  { value: 'person.title', label: 'Job title', kind: 'text' },
  { value: 'person.country', label: 'Country', kind: 'text' },
  { value: 'person.source', label: 'Lead source', kind: 'text' },
  { value: 'person.landingPage', label: 'Landing page', kind: 'text' },
  { value: 'person.emailDomain', label: 'Email domain', kind: 'text' },
];

const customField = /^(person|account)\.attributes\.(.+)$/;

export function fieldKind(field: string): FieldKind {
  return knownFields.find((known) => known.value === field)?.kind ?? 'custom';
}

/** "account.industry" → "Company industry"; "account.attributes.segment" → "Company segment". */
export function fieldLabel(field: string): string {
  const known = knownFields.find((candidate) => candidate.value === field);
  if (known) return known.label;
  const custom = customField.exec(field);
  if (!custom) return field;
  return `${custom[1] === 'account' ? 'Company' : 'Person'} ${custom[2]?.replaceAll('_', ' ')}`;
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
