// Which stage moves an imported record implies, for a new person and for one Lockstep already knows.

import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import {
  assertTransitionAllowed,
  type BackwardsDate,
  backfillPath,
  funnelStages,
} from '../lifecycle/lifecycle.rules.ts';
import type { StagedStep } from './import.staging.ts';

export interface StepWithFrom extends StagedStep {
  from: string | null;
}

export type PathOutcome = { steps: StagedStep[]; backwards: BackwardsDate[] } | { refused: string };

/** A new person's history: backfillPath, with no actor. */
export function pathForNewPerson(
  config: LifecycleConfig,
  target: string,
  dates: Partial<Record<string, Date>>,
  known: { createdAt: Date | null; now: Date },
): PathOutcome {
  try {
    const { steps, backwards } = backfillPath(config, target, dates, known);
    return { steps: steps.map((step) => ({ to: step.to, at: step.at, actorId: null })), backwards };
  } catch (error) {
    if (error instanceof AppError) return { refused: error.message };
    throw error;
  }
}

/**
 * The steps to append for a person at `current` (since `currentSince`) whose file says `staged` (the
 * path a new person would get). Further along the main path: the missing main-path stages, dated and
 * attributed like the staged path (a stage it lacks takes the next known step's date). A side state:
 * the direct move. Behind or equal: nothing, since Lockstep's own history is newer than an export.
 * No step is dated before the person's last move: `raised` is the first file date moved up to it.
 */
export function pathForExistingPerson(
  config: LifecycleConfig,
  current: string | null,
  currentSince: Date | null,
  staged: StagedStep[],
): { steps: StepWithFrom[]; raised?: { to: string; at: Date } } | { refused: string } {
  const last = staged[staged.length - 1];
  if (!last) return { steps: [] };
  if (current === null) return { steps: withFrom(null, staged) };
  if (current === last.to) return { steps: [] };
  const path = funnelStages(config).map((stage) => stage.key);
  const currentRank = path.indexOf(current);
  const targetRank = path.indexOf(last.to);
  try {
    let steps = [last];
    if (currentRank !== -1 && targetRank !== -1) {
      if (targetRank < currentRank) return { steps: [] };
      steps = path.slice(currentRank + 1, targetRank + 1).map((stage): StagedStep => {
        const known = staged.find((step) => path.indexOf(step.to) >= path.indexOf(stage)) ?? last;
        return { to: stage, at: known.at, actorId: known.actorId };
      });
    }
    const result = withFrom(current, steps);
    for (const step of result) assertTransitionAllowed(config, step.from, step.to);
    const first = result[0];
    if (!currentSince || !first || first.at >= currentSince) return { steps: result };
    const raised = { to: first.to, at: first.at };
    return {
      steps: result.map((step) => (step.at < currentSince ? { ...step, at: currentSince } : step)),
      raised,
    };
  } catch (error) {
    if (error instanceof AppError) return { refused: error.message };
    throw error;
  }
}

function withFrom(first: string | null, steps: StagedStep[]): StepWithFrom[] {
  let from = first;
  return steps.map((step) => {
    const withPrevious = { ...step, from };
    from = step.to;
    return withPrevious;
  });
}
