// A re-scoring run's progress in words: what it is doing now, and what it did.
import type { DefinitionVersion } from '../api/types.ts';
import { countOf, formatCount, formatDate } from '../format.ts';

type Rescoring = NonNullable<DefinitionVersion['rescoring']>;

/** "1 became an MQL", "12 became MQLs". */
export function madeMqlWords(count: number): string {
  return `${formatCount(count)} became ${count === 1 ? 'an MQL' : 'MQLs'}`;
}

/** What the run is doing now. */
function stepWords(rescoring: Rescoring): string {
  switch (rescoring.step) {
    case null:
      return 'waiting for the job to start';
    case 'engagement':
      return 'adding up engagement from every activity';
    case 'recent':
      return 'keeping only the most recent activities where a rule has a cap';
    case 'scores':
      return 'writing every lead’s new score';
    case 'mql':
      return `moving qualified leads to MQL (${formatCount(rescoring.checked)} of ${formatCount(rescoring.qualified ?? 0)} checked, ${madeMqlWords(rescoring.madeMql)} so far)`;
  }
}

/** One sentence for a run of this version, finished or not. */
export function rescoringSentence(version: number, rescoring: Rescoring): string {
  if (rescoring.finishedAt) {
    return `All ${countOf(rescoring.total, 'lead')} were re-scored by version ${version} on ${formatDate(rescoring.finishedAt)}; ${madeMqlWords(rescoring.madeMql)}.`;
  }
  return `Re-scoring ${countOf(rescoring.total, 'lead')} by version ${version}: ${Math.floor(rescoring.share * 100)}% done, ${stepWords(rescoring)}`;
}
