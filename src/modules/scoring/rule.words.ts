// A fit rule's condition in words, one wording wherever a person reads it: a lead's score explanation,
// the labels of a learned draft, and the web app's rule tables, draft form and "what changed".
import type { FitRule } from './definition.schema.ts';
import { fieldLabel } from './fields.ts';

const number = (value: number) => value.toLocaleString('en-US');

/** "Software", "Software or SaaS", "Software, SaaS or Fintech" */
function either(values: readonly (string | number)[]): string {
  const words = values.map(String);
  const last = words.pop();
  return words.length === 0 ? (last ?? '') : `${words.join(', ')} or ${last}`;
}

// Scoring counts min inclusive and max exclusive.
function rangeWords(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${number(min)} to under ${number(max)}`;
  if (min !== undefined) return `${number(min)} or more`;
  if (max !== undefined) return `under ${number(max)}`;
  return 'is any number';
}

/**
 * "Company country is US", "Company industry is Software or SaaS", "Job title contains “VP”",
 * "Company employees 200 to under 1,000", "Company employees under 170".
 */
export function fitCondition(rule: FitRule): string {
  const field = fieldLabel(rule.field);
  switch (rule.op) {
    case 'exists':
      return `${field} is known`;
    case 'equals':
      return `${field} is ${String(rule.value)}`;
    case 'in':
      return `${field} is ${either(rule.values)}`;
    case 'contains':
      // Quoted: the part of a title or domain it looks for may start or end with a space or a dot.
      return `${field} contains “${rule.value}”`;
    case 'range':
      return `${field} ${rangeWords(rule.min, rule.max)}`;
  }
}
