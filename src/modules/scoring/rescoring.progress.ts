// How far a re-scoring run has got. Most of a run is a few statements over every lead or activity,
// none of which reports progress of its own, so a run goes through steps, each with its share of
// the run's time.

/**
 * The steps in order, each with its share of a run: measured at 1,000,000 leads and 10,000,000
 * activities (engagement 4.5 s, the capped rules' most recent activities 2.4 s, the scores written
 * and swapped in 3.5 s, 81,000 MQL moves 2.2 s; BENCHMARKS.md).
 */
const STEPS = { engagement: 0.36, recent: 0.19, scores: 0.28, mql: 0.17 } as const;

export type RescoringStep = keyof typeof STEPS;
export const rescoringSteps = Object.keys(STEPS) as RescoringStep[];

export interface RescoringState {
  step: RescoringStep | null;
  /** Leads the new scores make MQLs, and how many of them the moves have checked so far. */
  qualified: number | null;
  checked: number;
  finishedAt: string | null;
}

/** The share of the run done, from 0 to 1: the steps behind it, and the moves' own progress. */
export function rescoringShare(run: RescoringState): number {
  if (run.finishedAt) return 1;
  if (run.step === null) return 0;
  let share = 0;
  for (const step of rescoringSteps) {
    if (step === run.step) {
      const within = step === 'mql' && run.qualified ? Math.min(1, run.checked / run.qualified) : 0;
      return share + STEPS[step] * within;
    }
    share += STEPS[step];
  }
  return share;
}
