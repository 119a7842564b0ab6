import type { LeadScore } from '../api/types.ts';
import { fitGrades } from '../lead/grade.ts';

/**
 * Why an MQL in the queue no longer meets the MQL rule in force: its fit falls short (it never met
 * this rule: fit does not fade) or its engagement faded below the line since it crossed it.
 */
export function notMqlWords(score: Pick<LeadScore, 'fit' | 'engagement' | 'mqlRule'>): string {
  const { minGrade, minEngagement } = score.mqlRule;
  const engagement = Math.round(score.engagement.points);
  const fitShort = fitGrades.indexOf(score.fit.grade) > fitGrades.indexOf(minGrade);
  const engagementShort = score.engagement.points < minEngagement;
  if (fitShort) {
    return (
      `Below the MQL rule in force: fit ${score.fit.grade}, the rule asks ${minGrade} or better` +
      (engagementShort ? ` and ${minEngagement} engagement points` : '')
    );
  }
  return `Cooled off: ${engagement} engagement points, the rule asks ${minEngagement}`;
}
