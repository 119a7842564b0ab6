/**
 * The shapes the Lockstep API answers with. Where the server has a zod schema the type comes from it
 * (type-only imports: nothing of the server lands in the bundle), so the client cannot drift from the API.
 * `z.input` is the JSON on the wire (timestamps are ISO strings there).
 */
import type { z } from 'zod';
import type { accountSchema } from '../../../src/modules/accounts/accounts.schema.ts';
import type { activitySchema, activityTypes } from '../../../src/modules/activities/activities.schema.ts';
import type { setupBody, setupStatus, userSchema } from '../../../src/modules/auth/auth.schema.ts';
import type { lifecycleResponse, transitionSchema } from '../../../src/modules/lifecycle/lifecycle.schema.ts';
import type { personSchema } from '../../../src/modules/people/people.schema.ts';
import type { funnelReport } from '../../../src/modules/reports/funnel.schema.ts';
import type {
  backtestRunSchema,
  backtestSchema,
  definitionDiffSchema,
  definitionVersionSchema,
  leadScoreSchema,
  learnBody,
  learnedSchema,
  proposeBody,
} from '../../../src/modules/scoring/scoring.schema.ts';
import type { ErrorCode } from '../../../src/shared/errors.ts';

export type { ErrorCode };

export type User = z.input<typeof userSchema>;
export type Team = User['team'];
export type Role = User['role'];
export type SetupStatus = z.input<typeof setupStatus>;
export type FirstAdminInput = z.input<typeof setupBody>;

export type FunnelReport = z.input<typeof funnelReport>;
export type FunnelBreakdown = FunnelReport['by'];
export type FunnelStage = FunnelReport['stages'][number];
export type FunnelRow = FunnelReport['total'];
export type FunnelLeak = NonNullable<FunnelReport['biggestLeak']>;

/** The breakdowns the report offers, in the order the page shows them. */
export const funnelBreakdowns = [
  'none',
  'source',
  'campaign',
  'landing_page',
  'owner',
] as const satisfies readonly FunnelBreakdown[];

export type Person = z.input<typeof personSchema>;

export type Account = z.input<typeof accountSchema>;

export interface AccountsPage {
  items: Account[];
  nextCursor: string | null;
}

export interface PeoplePage {
  items: Person[];
  nextCursor: string | null;
}

export type {
  EngagementRule,
  FitRule,
  Grade,
  LeadDefinition,
} from '../../../src/modules/scoring/definition.schema.ts';
export type DefinitionVersion = z.input<typeof definitionVersionSchema>;
export type DefinitionStatus = DefinitionVersion['status'];
export type DefinitionSignature = DefinitionVersion['signatures'][number];
export type DefinitionDraft = z.input<typeof proposeBody>;
export type LeadScore = z.input<typeof leadScoreSchema>;
export type ScoreHit = LeadScore['fit']['hits'][number];
export type DefinitionDiff = z.input<typeof definitionDiffSchema>;
export type Backtest = z.input<typeof backtestSchema>;
export type BacktestRun = z.input<typeof backtestRunSchema>;
export type BacktestSide = Backtest['candidate'];
export type MovedLeads = Backtest['movedIn'];
export type LearnInput = z.input<typeof learnBody>;
export type LearnedOutcome = LearnInput['outcome'];
export type Learned = z.input<typeof learnedSchema>;
export type LiftDecile = Learned['evaluation']['deciles'][number];

export type StageTransition = z.input<typeof transitionSchema>;
export type Lifecycle = z.input<typeof lifecycleResponse>;
export type Activity = z.input<typeof activitySchema>;
export type KnownActivityType = (typeof activityTypes)[number];

export interface ActivitiesPage {
  items: Activity[];
  nextCursor: string | null;
}
