// The fields fit rules may test: person and account fields, and any imported custom attribute.
export type FieldType = 'text' | 'number';

export const knownFields: Record<string, FieldType> = {
  'person.title': 'text',
  'person.country': 'text',
  'person.source': 'text',
  'person.landingPage': 'text',
  'person.emailDomain': 'text',
  'account.industry': 'text',
  'account.employees': 'number',
  'account.country': 'text',
  'account.domain': 'text',
};

/** How a field reads in explanations: "Company employees 200 to under 5,000". */
const fieldWords: Record<string, string> = {
  'person.title': 'Job title',
  'person.country': 'Country',
  'person.source': 'Lead source',
  'person.landingPage': 'Landing page',
  'person.emailDomain': 'Email domain',
  'account.industry': 'Company industry',
  'account.employees': 'Company employees',
  'account.country': 'Company country',
  'account.domain': 'Company domain',
};

export function fieldLabel(field: string): string {
  const custom = field.match(/^(person|account)\.attributes\.(.+)$/);
  if (custom) return `${custom[1] === 'person' ? 'Person' : 'Company'} ${custom[2]!.replaceAll('_', ' ')}`;
  return fieldWords[field] ?? field;
}

/** `person.attributes.<key>` and `account.attributes.<key>`: imported custom fields, text or number. */
export const customFieldPattern = /^(person|account)\.attributes\.[A-Za-z0-9_]{1,64}$/;

export function fieldType(field: string): FieldType | 'custom' | undefined {
  if (field in knownFields) return knownFields[field];
  return customFieldPattern.test(field) ? 'custom' : undefined;
}

/** A lead's fields flattened for rule evaluation: `person.title`, `account.attributes.segment`, … */
export type LeadFields = Record<string, string | number | boolean | null | undefined>;
