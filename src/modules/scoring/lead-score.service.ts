import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { stagesLeadingTo } from '../lifecycle/lifecycle.rules.ts';
import { moveLeadsByRule } from '../lifecycle/lifecycle.service.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { definitionInForce } from './definitions.service.ts';
import * as store from './lead-score.store.ts';
import { rescoreInDatabase } from './score.sql.ts';
import { judgeLead, type LeadScore, scoreLead } from './score.ts';

export interface ScoringDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
  /** Routes new MQLs to sales (set by createDeps; absent in the CLI). */
  onBecameMql?: (personIds: string[]) => Promise<void>;
}

const MQL_STAGE = 'mql';

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
): Promise<LeadScore & { version: number }> {
  const definition = await definitionInForce(deps);
  if (!definition) {
    throw new AppError(
      'no_definition_in_force',
      'No lead definition is in force yet: propose one, have both teams sign it, and publish it.',
    );
  }
  const [scored] = await scoreLeads(deps, [personId], definition.rules);
  if (!scored) throw new AppError('not_found', `There is no person ${personId}.`);
  return { version: definition.version, ...scored.score };
}

/**
 * Scores these leads under a definition and stores the scores. A lead that now meets the definition,
 * in a stage from which the lifecycle allows it, becomes an MQL, recorded with the version that made
 * it. Returns how many became MQLs.
 */
export async function rescoreLeads(
  deps: ScoringDeps,
  personIds: string[],
  definition: Definition,
): Promise<number> {
  const qualifying = await rescoreInDatabase(deps.db, personIds, definition, deps.clock.now());
  // Only leads whose stage, as the scoring statement read it, lets them become MQLs: a lead that is
  // an MQL already (or further on) would otherwise cost a move statement on every activity. The move
  // reads the stage again under the lock, by the same rule.
  const { from, fromNone } = stagesLeadingTo(deps.lifecycle, MQL_STAGE);
  const movable = qualifying.filter((lead) => (lead.stage === null ? fromNone : from.includes(lead.stage)));
  return moveQualifiedLeads(deps, movable, definition);
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
    rule: `lead definition v${definition.version}`,
  });
  // Right after the commit, in the same request: the rep hears about a new MQL within a second.
  if (moved.length > 0) await deps.onBecameMql?.(moved);
  return moved.length;
}

/** Re-scores one lead after something about it changed (an activity arrived, a field changed). */
export async function rescoreLead(deps: ScoringDeps, personId: string): Promise<void> {
  const definition = await definitionInForce(deps);
  if (definition) await rescoreLeads(deps, [personId], definition);
}
