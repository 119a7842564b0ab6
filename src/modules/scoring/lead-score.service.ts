import type { CompiledStatement, Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { stagesLeadingTo } from '../lifecycle/lifecycle.rules.ts';
import { moveLeadsByRule } from '../lifecycle/lifecycle.service.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { definitionInForce } from './definitions.service.ts';
import * as store from './lead-score.store.ts';
import { compileLiveScoring, scoreLeadLive } from './score.sql.ts';
import { judgeLead, type LeadScore, scoreLead } from './score.ts';

export interface ScoringDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  /** Routes new MQLs to sales (set by createDeps; absent in the CLI). */
  onBecameMql?: (personIds: string[]) => Promise<void>;
}

export const MQL_STAGE = 'mql';
/** The rule recorded with each move a definition makes. */
/** The rule a move by this definition records: "lead definition v4". */
export const ruleOf = (definition: Pick<Definition, 'version'>) => `lead definition v${definition.version}`;

interface Definition {
  version: number;
  rules: LeadDefinition;
}

/** Scores leads in JS with every rule that fired (for explanations). */
async function scoreLeads(deps: ScoringDeps, personIds: string[], rules: LeadDefinition, asOf?: Date) {
  const types = [...new Set(rules.engagement.rules.map((rule) => rule.activityType))];
  const [leads, activities] = await Promise.all([
    store.loadLeads(deps.db, personIds),
    store.loadActivities(deps.db, personIds, types, asOf),
  ]);
  const now = asOf ?? deps.clock.now();
  return [...leads].map(([personId, lead]) => ({
    personId,
    stage: lead.stage,
    score: scoreLead(rules, { fields: lead.fields, activities: activities.get(personId) ?? [] }, now),
  }));
}

/** The lead's score under the definition in force, with every rule that fired. */
export async function explainLeadScore(
  deps: ScoringDeps,
  personId: string,
): Promise<LeadScore & { version: number; mqlRule: LeadDefinition['mql'] }> {
  const definition = await definitionInForce(deps);
  if (!definition) {
    throw new AppError(
      'no_definition_in_force',
      'No lead definition is in force yet: propose one, have both teams sign it, and publish it.',
    );
  }
  const [scored] = await scoreLeads(deps, [personId], definition.rules);
  if (!scored) throw new AppError('not_found', `There is no person ${personId}.`);
  return { version: definition.version, ...scored.score, mqlRule: definition.rules.mql };
}

/**
 * Moves leads whose points meet the definition to MQL where the lifecycle allows it, in one
 * statement, each with the verdict and the version that made it. Returns how many moved.
 */
export async function moveQualifiedLeads(
  deps: ScoringDeps,
  qualifying: { personId: string; fitPoints: number; engagementPoints: number }[],
  definition: Definition,
): Promise<number> {
  const reasons = new Map(
    qualifying
      .map((lead) => ({
        personId: lead.personId,
        score: judgeLead(definition.rules, lead.fitPoints, lead.engagementPoints),
      }))
      .filter((lead) => lead.score.isMql)
      .map((lead) => [lead.personId, lead.score.verdict]),
  );
  const moved = await moveLeadsByRule(deps, {
    reasons,
    to: MQL_STAGE,
    rule: ruleOf(definition),
  });
  // Right after the commit, in the same request: the rep hears about a new MQL within a second.
  if (moved.length > 0) await deps.onBecameMql?.(moved);
  return moved.length;
}

// Leads moved to MQL per batch. Each move statement has a fixed cost of about a second at a
// million leads (the analytics triggers on people and stage_transitions), so batches are large; a
// batch holds its leads' rows for about two seconds.
export const MOVE_BATCH = 100_000;
// Each batch's moves in this many transactions at once, over disjoint leads: a move writes the lead's
// row, its index entries and its transition, work one core does alone (PostgreSQL writes a statement
// from one process). Two halves of 81,000 moves took 3.6 s side by side against 5.0 s in one.
const MOVERS = 2;

/** Moves a batch of qualifying leads to MQL in MOVERS transactions at once, over disjoint leads. */
export async function moveSideBySide(
  deps: ScoringDeps,
  leads: Parameters<typeof moveQualifiedLeads>[1],
  definition: Parameters<typeof moveQualifiedLeads>[2],
): Promise<number> {
  const share = Math.ceil(leads.length / MOVERS);
  const parts = Array.from({ length: MOVERS }, (_, i) => leads.slice(i * share, (i + 1) * share));
  const moved = await Promise.all(parts.map((part) => moveQualifiedLeads(deps, part, definition)));
  return moved.reduce((sum, n) => sum + n, 0);
}

/** Live scoring's statement for the definition in force as last seen, per database. */
const lastInForce = new WeakMap<Db, { lifecycle: LifecycleConfig; statement: CompiledStatement }>();

/** Reads the definition in force, and keeps live scoring's statement for it; undefined: none. */
async function liveScoringInForce(deps: ScoringDeps): Promise<CompiledStatement | undefined> {
  const definition = await definitionInForce(deps);
  if (!definition) {
    lastInForce.delete(deps.db);
    return undefined;
  }
  const move = { ...stagesLeadingTo(deps.lifecycle, MQL_STAGE), to: MQL_STAGE, rule: ruleOf(definition) };
  const statement = compileLiveScoring(definition, move);
  lastInForce.set(deps.db, { lifecycle: deps.lifecycle, statement });
  return statement;
}

/** Scores the lead with this statement; false when its version is no longer the one in force. */
async function scoreLive(deps: ScoringDeps, statement: CompiledStatement, personId: string) {
  const scored = await scoreLeadLive(deps.db, statement, personId, deps.clock.now());
  // Right after the commit, in the same request: the rep hears about a new MQL within a second.
  if (scored.inForce && scored.moved.length > 0) await deps.onBecameMql?.(scored.moved);
  return scored.inForce;
}

/**
 * Re-scores one lead after something about it changed (an activity arrived, a field changed), and
 * moves it to MQL if it now qualifies, in one statement that also checks that the definition last
 * seen in force still is. Only when it is not (a new version took effect, on this server or another)
 * is the definition read again. Should that change again in between, the lead is left to the new
 * version's re-scoring run.
 */
export async function rescoreLead(deps: ScoringDeps, personId: string): Promise<void> {
  const known = lastInForce.get(deps.db);
  if (known?.lifecycle === deps.lifecycle && (await scoreLive(deps, known.statement, personId))) return;
  const statement = await liveScoringInForce(deps);
  if (statement) await scoreLive(deps, statement, personId);
}
