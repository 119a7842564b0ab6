// Pure lifecycle rules: which moves are allowed, and the path a backfilled history takes.
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig, StageConfig } from './lifecycle.config.ts';

export function stageOf(config: LifecycleConfig, key: string): StageConfig {
  const stage = config.stages.find((candidate) => candidate.key === key);
  if (!stage) {
    throw new AppError('unknown_stage', `There is no stage "${key}".`, {
      stage: key,
      allowed: config.stages.map((s) => s.key),
    });
  }
  return stage;
}

export function allowedNext(config: LifecycleConfig, from: string | null): string[] {
  return from === null ? config.entry : stageOf(config, from).next;
}

/**
 * The stages a lead may move to `to` from (`fromNone`: also a lead with no stage yet). A stage the
 * lifecycle does not know allows nothing, rather than failing the caller.
 */
export function stagesLeadingTo(config: LifecycleConfig, to: string): { from: string[]; fromNone: boolean } {
  return {
    from: config.stages.filter((stage) => stage.next.includes(to)).map((stage) => stage.key),
    fromNone: config.entry.includes(to),
  };
}

/** Throws stage_transition_not_allowed naming the allowed moves when `from → to` is not in the lifecycle. */
export function assertTransitionAllowed(config: LifecycleConfig, from: string | null, to: string): void {
  stageOf(config, to);
  const allowed = allowedNext(config, from);
  if (!allowed.includes(to)) {
    const fromLabel = from === null ? 'a new person' : `"${from}"`;
    throw new AppError(
      'stage_transition_not_allowed',
      `A lead cannot move from ${fromLabel} to "${to}". Allowed: ${allowed.join(', ') || 'none (final stage)'}.`,
      { from, to, allowed },
    );
  }
}

/** The main funnel path (lead → … → won), in order. */
export function funnelStages(config: LifecycleConfig): StageConfig[] {
  return config.stages
    .filter((stage) => stage.funnelRank !== undefined)
    .sort((a, b) => (a.funnelRank ?? 0) - (b.funnelRank ?? 0));
}

export interface BackfillStep {
  from: string | null;
  to: string;
  at: Date;
}

/**
 * The history an imported record implies. A CRM export says "this person is an opportunity,
 * became an MQL on D1 and an SQL on D2"; the importer records every main-path stage up to the
 * current one, each at the first known date at or after it, so the history obeys the lifecycle.
 * `dates` maps stage key → date where the export knows it; `fallback` is used where nothing later is known.
 */
export function backfillPath(
  config: LifecycleConfig,
  target: string,
  dates: Partial<Record<string, Date>>,
  fallback: Date,
): BackfillStep[] {
  const path = funnelStages(config);
  const targetIndex = path.findIndex((stage) => stage.key === target);
  const [first] = path;
  if (!first) return [];
  if (targetIndex === -1) {
    // A side state (lost, nurture, …): record it directly when the lifecycle lets a person start there.
    assertTransitionAllowed(config, null, target);
    return [{ from: null, to: target, at: dates[target] ?? fallback }];
  }
  // Start at the earliest stage the export dates, so a record with only "became MQL" starts at MQL.
  const firstDated = path.findIndex((stage, i) => i <= targetIndex && dates[stage.key] !== undefined);
  const start = firstDated === -1 ? targetIndex : firstDated;
  const steps: BackfillStep[] = [];
  let previous: string | null = null;
  for (let i = start; i <= targetIndex; i++) {
    const stage = path[i]!;
    let at = dates[stage.key];
    for (let j = i + 1; at === undefined && j <= targetIndex; j++) at = dates[path[j]!.key];
    steps.push({ from: previous, to: stage.key, at: at ?? fallback });
    previous = stage.key;
  }
  steps.forEach((step) => {
    assertTransitionAllowed(config, step.from, step.to);
  });
  return steps;
}
