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

/**
 * The stage a new person starts in when nothing names one (over the API, a form, an import): "new"
 * when the lifecycle lets a person start there, else the entry stage furthest back on the main path,
 * else the first entry stage.
 */
export function startingStage(config: LifecycleConfig): string {
  if (config.entry.includes('new')) return 'new';
  const ranked = funnelStages(config).find((stage) => config.entry.includes(stage.key));
  return ranked?.key ?? config.entry[0]!;
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
 * A record's own date for `stage` that is earlier than a date before it on the path: the date the
 * record reached `after` (a stage), or its creation (`after: null`). The step is dated at that date.
 */
export interface BackwardsDate {
  stage: string;
  after: string | null;
}

export interface BackfilledPath {
  steps: BackfillStep[];
  backwards: BackwardsDate[];
}

/**
 * The history an imported record implies. A CRM export says "this person is an opportunity,
 * became an MQL on D1 and an SQL on D2"; the importer records every main-path stage up to the
 * current one, so the history obeys the lifecycle. `dates` maps stage key → date where the export
 * knows it. A stage without a date takes the next known date, else the latest date already on the
 * path, else `createdAt`, else `now`. A step is never dated before the step before it (nor before
 * `createdAt`): where the record's own dates go backwards, the later stage takes the earlier date,
 * and `backwards` says which, so that reports never see time run backwards.
 */
export function backfillPath(
  config: LifecycleConfig,
  target: string,
  dates: Partial<Record<string, Date>>,
  known: { createdAt: Date | null; now: Date },
): BackfilledPath {
  const path = funnelStages(config);
  const targetIndex = path.findIndex((stage) => stage.key === target);
  if (path.length === 0) return { steps: [], backwards: [] };
  // A side state (lost, nurture, …) is recorded directly when the lifecycle lets a person start there.
  let stages = [target];
  if (targetIndex !== -1) {
    // Start at the earliest stage the export dates, so a record with only "became MQL" starts at MQL.
    const firstDated = path.findIndex((stage, i) => i <= targetIndex && dates[stage.key] !== undefined);
    stages = path.slice(firstDated === -1 ? targetIndex : firstDated, targetIndex + 1).map((s) => s.key);
  }
  const steps: BackfillStep[] = [];
  const backwards: BackwardsDate[] = [];
  // The latest date on the path so far, and the stage that gave it (null: the record's creation).
  let latest = known.createdAt === null ? null : { at: known.createdAt, stage: null as string | null };
  stages.forEach((stage, i) => {
    const own = dates[stage];
    const nextKnown = stages.slice(i).find((later) => dates[later] !== undefined);
    const dated = nextKnown === undefined ? null : { at: dates[nextKnown]!, stage: nextKnown };
    let at = dated?.at ?? latest?.at ?? known.now;
    if (latest && at < latest.at) {
      if (own !== undefined) backwards.push({ stage, after: latest.stage });
      at = latest.at;
    } else if (dated) {
      latest = dated;
    }
    steps.push({ from: steps.at(-1)?.to ?? null, to: stage, at });
  });
  for (const step of steps) assertTransitionAllowed(config, step.from, step.to);
  return { steps, backwards };
}
