import type { Db } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { allowedNext } from '../lifecycle/lifecycle.rules.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import type { LeadDefinition } from './definition.schema.ts';
import { definitionInForce } from './definitions.service.ts';
import * as store from './lead-score.store.ts';
import { type LeadScore, scoreLead } from './score.ts';

export interface ScoringDeps {
  db: Db;
  clock: Clock;
  lifecycle: LifecycleConfig;
}

const MQL_STAGE = 'mql';

async function scoreUnder(
  deps: ScoringDeps,
  personId: string,
  rules: LeadDefinition,
): Promise<LeadScore & { stage: string | null }> {
  const lead = await store.loadLead(deps.db, personId);
  if (!lead) throw new AppError('not_found', `There is no person ${personId}.`);
  const types = [...new Set(rules.engagement.rules.map((rule) => rule.activityType))];
  const activities = await store.loadActivities(deps.db, personId, types);
  return { stage: lead.stage, ...scoreLead(rules, { fields: lead.fields, activities }, deps.clock.now()) };
}

/** The lead's score under the definition in force, with every rule that fired. */
export async function explainLeadScore(deps: ScoringDeps, personId: string) {
  const definition = await definitionInForce(deps);
  if (!definition) {
    throw new AppError(
      'not_found',
      'No lead definition is in force yet: propose one, have both teams sign it, and publish it.',
    );
  }
  const { stage: _stage, ...score } = await scoreUnder(deps, personId, definition.rules);
  return { version: definition.version, ...score };
}

/**
 * Re-scores a lead after something about it changed (an activity, a field). When it now meets the
 * definition and the lifecycle lets it become an MQL, the move is recorded with the version that made it.
 */
export async function rescoreLead(deps: ScoringDeps, personId: string): Promise<void> {
  const definition = await definitionInForce(deps);
  if (!definition) return;
  const score = await scoreUnder(deps, personId, definition.rules);
  await store.saveLeadScore(deps.db, {
    personId,
    version: definition.version,
    fitPoints: score.fit.points,
    grade: score.fit.grade,
    engagementPoints: score.engagement.points,
    isMql: score.isMql,
    scoredAt: deps.clock.now(),
  });
  if (!score.isMql || !allowedNext(deps.lifecycle, score.stage).includes(MQL_STAGE)) return;
  try {
    await moveLead(deps, {
      personId,
      to: MQL_STAGE,
      actor: null,
      rule: `lead definition v${definition.version}`,
      reason: score.verdict,
    });
  } catch (error) {
    // A concurrent request moved the lead first (e.g. two activities at once): nothing left to do.
    if (!(error instanceof AppError && error.code === 'stage_transition_not_allowed')) throw error;
  }
}
