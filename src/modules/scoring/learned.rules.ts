// The fit rules of a learned draft: the scorecard's named values and ranges, in the words and spellings
// of the leads they were learned from, so they read like the rules people write by hand.
import type { ScorecardRule } from '../scorecard/scorecard.model.ts';
import { normaliseCell } from '../scorecard/scorecard.values.ts';
import type { FitRule } from './definition.schema.ts';
import type { TrainingRow } from './learned.store.ts';
import { fitCondition } from './rule.words.ts';

/** Training columns and the lead-definition field each one becomes. */
export const features: Record<Exclude<keyof TrainingRow, 'id' | 'outcome'>, string> = {
  source: 'person.source',
  landingPage: 'person.landingPage',
  title: 'person.title',
  country: 'person.country',
  industry: 'account.industry',
  employees: 'account.employees',
  accountCountry: 'account.country',
};
export const columns = Object.keys(features) as (keyof typeof features)[];

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'x';

/**
 * How the leads spell each value the scorecard lower-cased: "us" → "US", "software" → "Software" (the most
 * common spelling wins). Rules match regardless of case; the spelling is for the people who read them.
 */
function spellingsOf(rows: TrainingRow[]): Map<string, Map<string, string>> {
  const spellings = new Map<string, Map<string, string>>();
  for (const column of columns) {
    const counts = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const raw = row[column];
      if (typeof raw !== 'string') continue;
      const key = normaliseCell(raw);
      if (key === undefined) continue;
      const spelled = counts.get(key) ?? new Map<string, number>();
      const written = raw.trim();
      spelled.set(written, (spelled.get(written) ?? 0) + 1);
      counts.set(key, spelled);
    }
    const best = new Map<string, string>();
    for (const [key, spelled] of counts) {
      const [top] = [...spelled].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      best.set(key, top?.[0] ?? key);
    }
    spellings.set(column, best);
  }
  return spellings;
}

/**
 * The scorecard's named values and ranges as fit rules, labelled in the words a hand-written rule gets
 * ("Company country is US", "Company employees under 170"); "other" and "missing" are the baseline.
 */
export function learnedFitRules(scorecardRules: ScorecardRule[], rows: TrainingRow[]): FitRule[] {
  const spellings = spellingsOf(rows);
  const rules: FitRule[] = [];
  for (const rule of scorecardRules) {
    const column = rule.feature as keyof typeof features;
    const field = features[column];
    if (!field || rule.points === 0) continue;
    const id = `learned-${slug(rule.feature)}-${rules.length + 1}`;
    let learned: FitRule | undefined;
    if (rule.kind === 'category') {
      const value = spellings.get(column)?.get(rule.value) ?? rule.value;
      learned = { id, field, op: 'equals', value, points: rule.points };
    }
    if (rule.kind === 'range') {
      const [min, max] = rule.range;
      learned = {
        id,
        field,
        op: 'range',
        ...(min === null ? {} : { min }),
        ...(max === null ? {} : { max }),
        points: rule.points,
      };
    }
    if (learned) rules.push({ ...learned, label: fitCondition(learned) });
  }
  return rules;
}
