// Writes the demo workspace into an empty database, all of it in one transaction: a crash leaves
// either the whole demo or nothing, and a database that already has users or people is left alone.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, campaigns, people, users } from '../../db/schema.ts';
import { defaultLifecycle, type LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { allowedNext } from '../lifecycle/lifecycle.rules.ts';
import { seedDemoDefinition } from './demo.definition.ts';
import { generateDemoWorkspace } from './demo.generator.ts';
import { seedDemoHandoff } from './demo.handoff.ts';
import { seedDemoOpportunities } from './demo.opportunities.ts';
import { insertDemoActivities, insertDemoPeople, insertDemoTransitions } from './demo.store.ts';
import { seedDemoTargets } from './demo.targets.ts';
import type { DemoCounts, DemoWorkspace } from './demo.types.ts';

/** The seed of the demo everyone sees; any other number gives another, equally plausible company. */
export const DEMO_SEED = 20_260_101;
const BATCH_ROWS = 500;
// Next to the migration lock's id: app servers starting together seed once.
const SEED_LOCK_ID = 72_410_002;

export interface SeedDemoOptions {
  /** The end of the demo year (the clock's now). */
  now: Date;
  /** Set on the demo admin only; the other demo users cannot sign in. */
  /** Every demo user signs in with this password, so each role and team can be tried. */
  passwordHash: string;
  people?: number;
  seed?: number;
  /** A lead definition in force, signed by both teams (default); false leaves the first one to write. */
  definition?: boolean;
  /** The lifecycle in force; the demo's histories must be allowed by it. */
  lifecycle?: LifecycleConfig;
}

export type SeedDemoResult = { seeded: false } | { seeded: true; counts: DemoCounts };

export async function seedDemoWorkspace(
  database: Database,
  options: SeedDemoOptions,
): Promise<SeedDemoResult> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_ID})`);
    const [anyUser] = await tx.select({ id: users.id }).from(users).limit(1);
    const [anyPerson] = await tx.select({ id: people.id }).from(people).limit(1);
    if (anyUser || anyPerson) return { seeded: false };

    const workspace = generateDemoWorkspace({
      seed: options.seed ?? DEMO_SEED,
      now: options.now,
      people: options.people,
    });
    assertLifecycleAllowsDemo(options.lifecycle ?? defaultLifecycle, workspace);

    const inBatches = async <T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>) => {
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        await insert(rows.slice(start, start + BATCH_ROWS));
      }
    };
    await tx.insert(users).values(
      workspace.users.map(({ title: _title, ...user }) => ({
        ...user,
        passwordHash: options.passwordHash,
      })),
    );
    await tx
      .insert(campaigns)
      .values(workspace.campaigns.map((campaign) => ({ ...campaign, cost: campaign.cost.toFixed(2) })));
    await inBatches(workspace.accounts, (batch) => tx.insert(accounts).values(batch));
    await inBatches(workspace.people, (batch) => insertDemoPeople(tx, batch));
    await inBatches(workspace.transitions, (batch) => insertDemoTransitions(tx, batch));
    await inBatches(workspace.activities, (batch) => insertDemoActivities(tx, batch));
    await seedDemoOpportunities(tx, workspace, { seed: options.seed ?? DEMO_SEED, now: options.now });
    // After the deals: this quarter's target is set from what was won last quarter.
    await seedDemoTargets(tx, { now: options.now, users: workspace.users });
    // The lead definition both teams signed, with every lead scored under it.
    if (options.definition !== false) await seedDemoDefinition(tx, { now: options.now });
    // Reps' calendars, routing rules, SLA policies, and the hand-off history of recent MQLs.
    await seedDemoHandoff(tx, { now: options.now, lifecycle: options.lifecycle ?? defaultLifecycle });
    return { seeded: true, counts: countsOf(workspace) };
  });
}

export function countsOf(workspace: DemoWorkspace): DemoCounts {
  return {
    users: workspace.users.length,
    accounts: workspace.accounts.length,
    campaigns: workspace.campaigns.length,
    people: workspace.people.length,
    activities: workspace.activities.length,
    stageTransitions: workspace.transitions.length,
  };
}

function assertLifecycleAllowsDemo(lifecycle: LifecycleConfig, workspace: DemoWorkspace): void {
  const stageKeys = new Set(lifecycle.stages.map((stage) => stage.key));
  for (const { fromStage, toStage } of workspace.transitions) {
    const known = stageKeys.has(toStage) && (fromStage === null || stageKeys.has(fromStage));
    if (!known || !allowedNext(lifecycle, fromStage).includes(toStage)) {
      throw new Error(
        `The demo workspace follows the default lifecycle, but the configured one does not allow ` +
          `${fromStage ?? 'a new person'} → ${toStage}. Start without the demo (LOCKSTEP_DEMO=false).`,
      );
    }
  }
}
