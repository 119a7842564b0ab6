// Counts the report pre-aggregates in the background when a request would have to wait minutes for
// them: the first build of a large workspace, or the backlog after a bulk import (reports.refresh.ts).
import type { Db } from '../../db/client.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { funnelStages } from '../lifecycle/lifecycle.rules.ts';
import { refreshDealFacts } from './deals.refresh.ts';
import { ANALYTICS_REBUILD, refreshLeadStages } from './reports.refresh.ts';
import { dealOutcomes } from './reports.service.ts';

/** Idempotent: a second delivery finds the pre-aggregates up to date, or brings them up to date. */
export function analyticsRebuildJob(deps: { db: Db; lifecycle: LifecycleConfig }): JobDefinition<object> {
  return {
    name: ANALYTICS_REBUILD,
    async handle() {
      const stages = funnelStages(deps.lifecycle);
      await refreshLeadStages(deps.db, stages);
      await refreshDealFacts(deps.db, stages, dealOutcomes());
    },
  };
}
