import { ApiError } from '../api/client.ts';
import { type Disposition, firstDispositionOf } from '../api/queue.ts';
import { formatDate } from '../format.ts';

const stageWords: Record<string, string> = {
  sal: 'Sales-accepted (SAL)',
  nurture: "marketing's nurture",
  disqualified: 'disqualified',
};

/** "Leo Martins accepted James Dubois" / "You rejected James Dubois (Bad fit)" */
export function verdictWords(
  who: string,
  lead: string,
  disposition: Pick<Disposition, 'decision' | 'reasonLabel'>,
): string {
  return disposition.decision === 'accepted'
    ? `${who} accepted ${lead}`
    : `${who} rejected ${lead} (${disposition.reasonLabel ?? 'no reason'})`;
}

/** Where the lead went: "now Sales-accepted (SAL)", "back to marketing's nurture". */
export function nextStageWords(stage: string): string {
  if (stage === 'nurture') return "back to marketing's nurture";
  return `now ${stageWords[stage] ?? stage}`;
}

/** What went wrong with an accept/reject, in words a rep understands. */
export function dispositionErrorWords(error: unknown): string {
  const first = firstDispositionOf(error);
  if (first) {
    return `Already decided: ${verdictWords(first.userName ?? 'someone', 'this lead', first)} on ${formatDate(
      first.decidedAt,
    )} at ${timeOfDay(first.decidedAt)}. Only the first verdict counts.`;
  }
  if (error instanceof ApiError) {
    if (error.status === 403) {
      return 'This lead is not yours: only the rep it is assigned to (or an admin) may accept or reject it.';
    }
    if (error.code === 'lead_not_assigned')
      return 'This lead is not assigned to anyone, so there is nothing to decide.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });
}

/** "Mon, Nov 30, 12:30 PM" in the viewer's time zone. */
export function dueWords(iso: string): string {
  return new Date(iso).toLocaleString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}
