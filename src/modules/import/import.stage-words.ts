// The words CRMs and marketing tools use for the lead lifecycle's stages, read as Lockstep's stages
// by every people import (after the mapping's own valueMaps, the stages' keys and their labels),
// and offered on the Import page as the first choice for a stage column's values.
import { looseKey } from './import.values.ts';

const words: Record<string, string> = {
  Subscriber: 'new',
  Lead: 'new',
  New: 'new',
  Open: 'new',
  Raw: 'new',
  Prospect: 'new',
  'Marketing Qualified Lead': 'mql',
  'Marketing Qualified': 'mql',
  'Sales Accepted Lead': 'sal',
  'Sales Accepted': 'sal',
  Accepted: 'sal',
  'Sales Qualified Lead': 'sql',
  'Sales Qualified': 'sql',
  Qualified: 'sql',
  Customer: 'won',
  'Closed Won': 'won',
  Evangelist: 'won',
  'Closed Lost': 'lost',
  Nurturing: 'nurture',
  Unqualified: 'disqualified',
  'Not Qualified': 'disqualified',
  Junk: 'disqualified',
  'Junk Lead': 'disqualified',
};

/** Loose spelling → stage key, for the stages a lifecycle has (a custom one may lack some). */
export function stageWords(stageKeys: readonly string[]): Map<string, string> {
  return new Map(
    Object.entries(words)
      .filter(([, key]) => stageKeys.includes(key))
      .map(([word, key]) => [looseKey(word), key]),
  );
}
