import type { Person } from '../api/types.ts';
import { humanize } from '../format.ts';

/** Stages carry their label; a stage without one (a side state such as nurture) shows its key in words. */
export function stageName(
  key: string | null,
  stages: readonly { key: string; label: string }[] = [],
): string {
  if (key === null) return '(no stage)';
  const label = stages.find((stage) => stage.key === key)?.label;
  return label ?? humanize(key);
}

/** "Chloe Shah", or `fallback` for a person known only by an email address or not at all. */
export function personName(person: Person, fallback = '—'): string {
  return [person.firstName, person.lastName].filter(Boolean).join(' ') || fallback;
}
