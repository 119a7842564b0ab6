// "What would this version have done?": a draft scored on a past period, next to the version in force.
import { AppError } from '../../shared/errors.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { leadsThatWouldHaveQualified } from './backtest.sql.ts';
import * as store from './backtest.store.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { type DefinitionDeps, definitionInForce, getDefinition } from './definitions.service.ts';
import type { ScoringDeps } from './lead-score.service.ts';

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
): Promise<Backtest> {
  if (input.from >= input.to) throw new AppError('validation_failed', '`from` must be before `to`.');
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
  }
  return result;
}
