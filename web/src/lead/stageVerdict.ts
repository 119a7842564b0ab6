// When a lead's stage and today's verdict disagree, one sentence saying why, in what Lockstep actually does:
// scoring only ever moves a lead to MQL, live when an activity arrives or the lead is edited (if it then
// qualifies and its stage may move to MQL), and in the nightly refresh only when its stored score did not
// qualify yet (src/modules/scoring/lead-score.service.ts, refresh.job.ts). Nothing moves a cooled-off MQL back.
import type { LeadScore, Lifecycle, Person } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { stageName } from '../people/names.ts';

const MQL = 'mql';

export function stageVerdictNote(
  lead: Pick<Person, 'stage' | 'stageEnteredAt' | 'score'>,
  score: Pick<LeadScore, 'isMql' | 'version'>,
  lifecycle: Lifecycle | undefined,
): string | null {
  const stages = lifecycle?.stages ?? [];
  const mql = stageName(MQL, stages);
  if (lead.stage === MQL) {
    if (score.isMql) return null;
    const since = lead.stageEnteredAt ? ` on ${formatDate(lead.stageEnteredAt)}` : '';
    return `Moved to ${mql}${since}; today's score no longer qualifies — sales decides what happens next.`;
  }
  if (!score.isMql || !lifecycle) return null;
  const stage = stages.find((s) => s.key === lead.stage);
  const rankOf = (key: string | null) => stages.find((s) => s.key === key)?.funnelRank;
  const mqlRank = rankOf(MQL);
  // Past MQL on the main path (SAL, SQL, …): meeting the definition is expected.
  if (stage?.funnelRank !== undefined && mqlRank !== undefined && stage.funnelRank > mqlRank) return null;
  const now = lead.stage === null ? 'has no stage' : `is still ${stageName(lead.stage, stages)}`;
  const mayMove = lead.stage === null ? lifecycle.entry.includes(MQL) : (stage?.next.includes(MQL) ?? false);
  if (!mayMove)
    return `Meets the ${mql} definition today but ${now}: scoring does not move a lead from there to ${mql}.`;
  const storedQualified = lead.score?.isMql === true && lead.score.version === score.version;
  return storedQualified
    ? `Meets the ${mql} definition today but ${now}, and the nightly refresh will not move it; it moves at its next activity or edit, if it still qualifies then.`
    : `Meets the ${mql} definition today but ${now}; it moves at its next activity or at the nightly refresh, if it still qualifies then.`;
}
