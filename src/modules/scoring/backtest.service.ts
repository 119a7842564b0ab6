// "What would this version have done?": a draft scored on a past period, next to the version in force.
import type { JobDefinition, JobQueue } from '../../jobs/queue.ts';
import { AppError } from '../../shared/errors.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { leadsThatWouldHaveQualified } from './backtest.sql.ts';
import * as store from './backtest.store.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { type DefinitionDeps, definitionInForce, getDefinition } from './definitions.service.ts';
import type { ScoringDeps } from './lead-score.service.ts';
import { backtestSchema } from './scoring.schema.ts';

const BATCH = 1000;
const SAMPLE = 50;

export interface BacktestSide {
  version: number;
  mqls: number;
  /** Of those MQLs, how many sales later accepted, qualified (SQL) and won. */
  accepted: number;
  sql: number;
  won: number;
}

export interface Backtest {
  from: Date;
  to: Date;
  leads: number;
  candidate: BacktestSide;
  inForce: BacktestSide | null;
  movedIn: { count: number; sample: { id: string; email: string | null; stage: string | null }[] };
  movedOut: { count: number; sample: { id: string; email: string | null; stage: string | null }[] };
}

function assertPeriod(period: { from: Date; to: Date }): void {
  if (period.from >= period.to) throw new AppError('validation_failed', '`from` must be before `to`.');
}

const emptySide = (version: number): BacktestSide => ({ version, mqls: 0, accepted: 0, sql: 0, won: 0 });

/** Which outcome stages a person reached, by the funnel's order (reaching SQL implies it was accepted). */
function outcomeOf(deps: ScoringDeps, stages: Set<string> | undefined) {
  const path = funnelStages(deps.lifecycle).map((stage) => stage.key);
  const furthest = Math.max(-1, ...[...(stages ?? [])].map((stage) => path.indexOf(stage)));
  const reached = (key: string) => path.indexOf(key) !== -1 && furthest >= path.indexOf(key);
  return { accepted: reached('sal'), sql: reached('sql'), won: reached('won') };
}

/**
 * Takes every person who entered in [from, to), finds the ones the candidate version and the version in
 * force would each have made MQLs at some moment up to `to` (on the activities they had then), and
 * counts what became of them.
 */
export async function backtestDefinition(
  deps: ScoringDeps & DefinitionDeps,
  input: { version: number; from: Date; to: Date },
  onProgress?: (leadsDone: number) => Promise<void>,
): Promise<Backtest> {
  assertPeriod(input);
  const candidate = await getDefinition(deps, input.version);
  const inForce = await definitionInForce(deps);
  const sides: [BacktestSide, LeadDefinition][] = [[emptySide(candidate.version), candidate.rules]];
  if (inForce) sides.push([emptySide(inForce.version), inForce.rules]);
  const result: Backtest = {
    from: input.from,
    to: input.to,
    leads: 0,
    candidate: sides[0]![0],
    inForce: sides[1]?.[0] ?? null,
    movedIn: { count: 0, sample: [] },
    movedOut: { count: 0, sample: [] },
  };
  let after: string | null = null;
  for (;;) {
    const people = await store.peopleEnteredBetween(deps.db, input, after, BATCH);
    if (people.length === 0) break;
    after = people.at(-1)!.id;
    result.leads += people.length;
    const ids = people.map((person) => person.id);
    const reached = await store.stagesReached(deps.db, ids);
    // Both versions at once: on PostgreSQL each takes a connection of its own.
    const mqlSets = await Promise.all(
      sides.map(([, rules]) => leadsThatWouldHaveQualified(deps.db, ids, rules, input.to)),
    );
    for (const [i, [side]] of sides.entries()) {
      const mqls = mqlSets[i]!;
      for (const id of mqls) {
        const outcome = outcomeOf(deps, reached.get(id));
        side.mqls++;
        side.accepted += Number(outcome.accepted);
        side.sql += Number(outcome.sql);
        side.won += Number(outcome.won);
      }
    }
    const [candidateMqls, inForceMqls] = mqlSets;
    if (!candidateMqls || !inForceMqls) continue;
    for (const person of people) {
      const moved =
        candidateMqls.has(person.id) === inForceMqls.has(person.id)
          ? undefined
          : candidateMqls.has(person.id)
            ? result.movedIn
            : result.movedOut;
      if (!moved) continue;
      moved.count++;
      if (moved.sample.length < SAMPLE) moved.sample.push(person);
    }
    await onProgress?.(result.leads);
  }
  return result;
}

export interface BacktestRun {
  id: string;
  version: number;
  from: Date;
  to: Date;
  status: 'running' | 'done' | 'failed';
  /** Leads who entered in the period, and how many have been scored by both versions so far. */
  total: number;
  done: number;
  result: Backtest | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

function runOf(row: store.BacktestRunRow): BacktestRun {
  const { result, error, ...rest } = row;
  const status = row.finishedAt === null ? 'running' : error === null ? 'done' : 'failed';
  return {
    ...rest,
    status,
    result: result === null ? null : (backtestSchema.parse(result) as Backtest),
    error,
  };
}

/**
 * Starts a backtest in the background (a period can hold a million leads: minutes of work), or returns
 * the one of this version over this period still running. Bad input fails here, before any job.
 */
export async function startBacktest(
  deps: DefinitionDeps & { jobs: JobQueue },
  input: { version: number; from: Date; to: Date; requestedBy: string | null },
): Promise<BacktestRun> {
  assertPeriod(input);
  await getDefinition(deps, input.version);
  const running = await store.findUnfinishedRun(deps.db, input);
  if (running) return runOf(running);
  const total = await store.countPeopleEnteredBetween(deps.db, input);
  const run = await store.insertRun(deps.db, { ...input, total, at: deps.clock.now() });
  await deps.jobs.send(RUN_BACKTEST, { runId: run.id });
  return runOf(run);
}

export async function getBacktestRun(deps: DefinitionDeps, id: string): Promise<BacktestRun> {
  const run = await store.getRun(deps.db, id);
  if (!run) throw new AppError('not_found', `There is no backtest ${id}.`);
  return runOf(run);
}

export const RUN_BACKTEST = 'run-backtest';

/**
 * Runs a started backtest, recording progress after each batch. A second delivery of a finished run
 * does nothing; a job delivered again after a crash starts the (read-only) work again.
 */
export async function runBacktest(deps: ScoringDeps & DefinitionDeps, runId: string): Promise<void> {
  const run = await store.getRun(deps.db, runId);
  if (!run || run.finishedAt) return;
  try {
    const result = await backtestDefinition(deps, run, (done) => store.advanceRun(deps.db, runId, done));
    await store.finishRun(deps.db, runId, { result: backtestSchema.encode(result) }, deps.clock.now());
  } catch (error) {
    // Said on the run, which the page shows with a way to start again, rather than retried unseen.
    const message = error instanceof Error ? error.message : String(error);
    await store.finishRun(deps.db, runId, { error: message }, deps.clock.now());
  }
}

export function runBacktestJob(deps: ScoringDeps & DefinitionDeps): JobDefinition<{ runId: string }> {
  // Two people's backtests side by side, rather than one waiting minutes behind the other.
  return { name: RUN_BACKTEST, handle: ({ runId }) => runBacktest(deps, runId), concurrency: 2 };
}
