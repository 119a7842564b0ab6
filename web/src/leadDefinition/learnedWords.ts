// A learned scorecard's quality in words: what the held-out AUC and the lift by decile mean for a lead list.
import type { LearnedOutcome, LiftDecile } from '../api/types.ts';
import { formatRate } from '../format.ts';

export const learnedOutcomes = [
  { value: 'won', label: 'Won deals' },
  { value: 'accepted', label: 'Accepted by sales' },
] as const satisfies readonly { value: LearnedOutcome; label: string }[];

const outcomeWords: Record<LearnedOutcome, { hit: string; miss: string; rate: string }> = {
  won: { hit: 'won lead', miss: 'lost one', rate: 'were won' },
  accepted: { hit: 'lead sales accepted', miss: 'one they did not', rate: 'were accepted by sales' },
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** How far above a coin toss: AUC 0.5 is guessing, 1 is a perfect ranking. */
export function aucVerdict(auc: number): string {
  if (auc >= 0.8) return 'a strong signal';
  if (auc >= 0.7) return 'a useful signal';
  if (auc >= 0.6) return 'a weak signal';
  return 'hardly better than a coin toss';
}

/**
 * "On leads it had not seen, the learned score ranks a random won lead above a random lost one 78% of the
 * time (a coin toss would do 50%): a useful signal."
 */
export function aucSentence(auc: number, outcome: LearnedOutcome): string {
  const words = outcomeWords[outcome];
  return `On leads it had not seen, the learned score ranks a random ${words.hit} above a random ${words.miss} ${percent(auc)} of the time (a coin toss would do 50%): ${aucVerdict(auc)}.`;
}

/** "Top 10%", "11–20%", …, "91–100%": each tenth of the held-out leads, best scores first. */
export function decileLabel(decile: number): string {
  return decile === 1 ? 'Top 10%' : `${(decile - 1) * 10 + 1}–${decile * 10}%`;
}

/**
 * "Of the top 10% by learned score, 15.2% were won: 3.0× the 5.0% average; the top 20% hold 61% of all of them."
 */
export function liftSentence(deciles: LiftDecile[], holdoutRate: number, outcome: LearnedOutcome): string {
  const [top, second] = deciles;
  if (!top) return '';
  const rate = outcomeWords[outcome].rate;
  const share = second ? `; the top 20% hold ${percent(second.cumulativeCapture)} of all of them` : '';
  return `Of the top 10% by learned score, ${formatRate(top.observedRate)} ${rate}: ${top.lift.toFixed(1)}× the ${formatRate(holdoutRate)} average${share}.`;
}
