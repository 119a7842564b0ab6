// A learned scorecard's quality in words: what the held-out AUC and the lift by decile mean for a lead list.
import type { LearnedOutcome, LiftDecile } from '../api/types.ts';
import { formatCount, formatRate } from '../format.ts';

export const learnedOutcomes = [
  { value: 'won', label: 'Won deals' },
  { value: 'accepted', label: 'Accepted by sales' },
] as const satisfies readonly { value: LearnedOutcome; label: string }[];

export const outcomeWords: Record<LearnedOutcome, { hit: string; miss: string; rate: string; done: string }> =
  {
    won: { hit: 'won lead', miss: 'lost one', rate: 'were won', done: 'won' },
    accepted: {
      hit: 'lead sales accepted',
      miss: 'one they did not',
      rate: 'were accepted by sales',
      done: 'accepted',
    },
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

export type CalibrationVerdict = 'as predicted' | 'too high' | 'too low' | 'mixed';

/** How far a tenth's outcome rate is from its predicted one, in standard errors of a tenth that size. */
function surprise(decile: LiftDecile): number {
  const p = Math.min(0.999, Math.max(0.001, decile.meanPredicted));
  return (decile.observedRate - p) / Math.sqrt((p * (1 - p)) / decile.rows);
}

// Two standard errors: a tenth this far off would happen by chance about once in twenty.
const offBeyondChance = 2;

function verdictOf(tooHigh: number, tooLow: number): CalibrationVerdict {
  if (tooHigh > 0 && tooLow > 0) return 'mixed';
  if (tooHigh > 0) return 'too high';
  if (tooLow > 0) return 'too low';
  return 'as predicted';
}

/**
 * Whether the learned probabilities mean what they say, tenth by tenth: a tenth is off only when its rate
 * is further from the prediction than its size explains by chance.
 */
export function calibration(deciles: LiftDecile[]) {
  const tenths = deciles.filter((d) => d.rows > 0);
  const tooHigh = tenths.filter((d) => surprise(d) < -offBeyondChance);
  const tooLow = tenths.filter((d) => surprise(d) > offBeyondChance);
  const verdict = verdictOf(tooHigh.length, tooLow.length);
  // The example: where it is most off, or else its best tenth, the one decisions start from.
  const [example] =
    verdict === 'as predicted'
      ? tenths
      : [...tenths].sort((a, b) => Math.abs(surprise(b)) - Math.abs(surprise(a)));
  const leadsPerTenth = Math.round(tenths.reduce((sum, d) => sum + d.rows, 0) / Math.max(1, tenths.length));
  return { verdict, off: tooHigh.length + tooLow.length, tenths: tenths.length, leadsPerTenth, example };
}

/**
 * "Where it predicted 20.0%, 18.1% were won; with 400 leads a tenth, none is further off than chance
 * explains: its probabilities can be taken at their word." — or where, and which way, they are wrong.
 */
export function calibrationSentence(deciles: LiftDecile[], outcome: LearnedOutcome): string {
  const { verdict, off, tenths, leadsPerTenth, example } = calibration(deciles);
  if (!example) return '';
  const where = `Where it predicted ${formatRate(example.meanPredicted)}, ${formatRate(example.observedRate)} ${outcomeWords[outcome].rate}`;
  const inTenths = `in ${off} of ${tenths} tenths`;
  switch (verdict) {
    case 'as predicted':
      return `${where}; with ${formatCount(leadsPerTenth)} leads a tenth, none is further off than chance explains: its probabilities can be taken at their word.`;
    case 'too high':
      return `${where}: it over-states the chances ${inTenths}, so read its probabilities as too hopeful.`;
    case 'too low':
      return `${where}: it under-states the chances ${inTenths}, so the real rates are higher than it says.`;
    case 'mixed':
      return `${where}: its probabilities are off ${inTenths}, too high in some and too low in others, so use it to rank leads rather than to forecast.`;
  }
}
