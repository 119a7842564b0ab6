// The two-way SLA: sales' policies and durable timers (breach → rep, escalation → manager, optional
// re-assignment) and marketing's promise. Reports live in sla.report.ts.
import type { Db } from '../../db/client.ts';
import type { AppDeps } from '../../http/types.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { AppError } from '../../shared/errors.ts';
import type { NotificationOutcome } from '../notifications/notifications.schema.ts';
import { notify } from '../notifications/notifications.service.ts';
import { notificationOutcome } from '../notifications/outcome.ts';
import { openAssignment, reassignLead, repCalendar } from '../routing/routing.service.ts';
import type { Breach, MarketingPromise, SlaPolicy, SlaPolicyInput } from './sla.schema.ts';
import * as store from './sla.store.ts';
import { addWorkingMinutes, type WorkingCalendar } from './working-hours.ts';

export const SLA_TIMER_JOB = 'sla-timer';
export const SLA_TIMER_SWEEP_JOB = 'sla-timer-sweep';
const SWEEP_LIMIT = 1000;
// A job may start a moment before this server's clock reaches the due time (clocks differ a little
// between servers); further ahead, the claim refuses and the job is retried later.
const EARLY_TOLERANCE_MS = 5_000;
/** Activity types that count as a rep's first touch. */
export const touchTypes = ['call', 'email', 'meeting'] as const;

type SlaDeps = Pick<AppDeps, 'db' | 'clock'>;

export const listPolicies = (deps: { db: Db }) => store.listPolicies(deps.db);

async function assertGradeFree(db: Db, grade: string | null, exceptId?: string) {
  if (await store.policyGradeTaken(db, grade, exceptId)) {
    throw new AppError(
      'duplicate',
      grade === null
        ? 'There is already a default policy (grade null); edit it instead.'
        : `There is already a policy for grade ${grade}; edit it instead.`,
      { grade },
    );
  }
}

export async function createPolicy(deps: SlaDeps, input: SlaPolicyInput): Promise<SlaPolicy> {
  await assertGradeFree(deps.db, input.grade);
  return store.insertPolicy(deps.db, input, deps.clock.now());
}

export async function updatePolicy(deps: SlaDeps, id: string, input: SlaPolicyInput): Promise<SlaPolicy> {
  await assertGradeFree(deps.db, input.grade, id);
  const policy = await store.updatePolicy(deps.db, id, input, deps.clock.now());
  if (!policy) throw new AppError('not_found', `There is no SLA policy ${id}.`);
  return policy;
}

export async function deletePolicy(deps: { db: Db }, id: string): Promise<void> {
  if (!(await store.deletePolicy(deps.db, id)))
    throw new AppError('not_found', `There is no SLA policy ${id}.`);
}

export const listPromises = (deps: { db: Db }) => store.listPromises(deps.db);
export const setPromise = (deps: SlaDeps, input: Omit<MarketingPromise, 'updatedAt'>) =>
  store.upsertPromise(deps.db, input, deps.clock.now());

/** The policy for a fit grade: its own, else the default (grade null), else none. */
export function policyFor(policies: SlaPolicy[], grade: string | null): SlaPolicy | undefined {
  return policies.find((p) => grade !== null && p.grade === grade) ?? policies.find((p) => p.grade === null);
}

/** When an MQL assigned now to a rep with this calendar must be decided on and first touched. */
export function slaDeadlines(policy: SlaPolicy | undefined, calendar: WorkingCalendar, assignedAt: Date) {
  if (!policy) return { policyId: null, acceptDueAt: null, firstTouchDueAt: null };
  return {
    policyId: policy.id,
    acceptDueAt: addWorkingMinutes(assignedAt, policy.acceptWithinMinutes, calendar),
    firstTouchDueAt: addWorkingMinutes(assignedAt, policy.firstTouchWithinMinutes, calendar),
  };
}

/** Stores the timers of new assignments (in the caller's transaction); schedule them after commit. */
export function planTimers(
  db: Db,
  assignments: { id: string; personId: string; acceptDueAt: Date | null; firstTouchDueAt: Date | null }[],
) {
  return store.insertTimers(
    db,
    assignments.flatMap((a) => [
      ...(a.acceptDueAt
        ? [{ assignmentId: a.id, personId: a.personId, kind: 'accept' as const, dueAt: a.acceptDueAt }]
        : []),
      ...(a.firstTouchDueAt
        ? [
            {
              assignmentId: a.id,
              personId: a.personId,
              kind: 'first_touch' as const,
              dueAt: a.firstTouchDueAt,
            },
          ]
        : []),
    ]),
  );
}

/** Gives each stored timer its durable job, to run at its due time (once: keyed by the timer). */
export async function scheduleTimers(deps: Pick<AppDeps, 'jobs'>, timers: store.TimerRow[]): Promise<void> {
  await deps.jobs.sendMany(
    SLA_TIMER_JOB,
    timers.map((timer) => ({ data: { timerId: timer.id }, startAfter: timer.dueAt, singletonKey: timer.id })),
  );
}

const kindLabel: Record<store.TimerKind, string> = {
  accept: 'accept or reject',
  first_touch: 'first touch',
  accept_escalation: 'accept or reject',
  first_touch_escalation: 'first touch',
};

/**
 * Fires one timer: idempotent, and safe with several app servers. Nothing happens unless this call
 * claimed the timer; a lead already decided on, touched or re-assigned is recorded as met/cancelled.
 */
export async function fireSlaTimer(
  deps: AppDeps,
  timerId: string,
): Promise<'breached' | 'met' | 'cancelled' | 'skipped' | 'not_due'> {
  const now = deps.clock.now();
  const timer = await store.claimTimer(deps.db, timerId, now, new Date(now.getTime() + EARLY_TOLERANCE_MS));
  if (!timer) return (await store.isWaiting(deps.db, timerId)) ? 'not_due' : 'skipped';
  if (timer.outcome !== 'breached') return timer.outcome;
  const lead = timer.personName ?? 'a lead';
  const escalation = timer.kind.endsWith('_escalation');
  const recipient = escalation ? timer.managerId : timer.userId;
  const data = {
    personId: timer.personId,
    assignmentId: timer.assignmentId,
    repUserId: timer.userId,
    sla: kindLabel[timer.kind],
    dueAt: timer.dueAt.toISOString(),
    timerId: timer.id,
  };
  if (recipient) {
    await notify(deps, {
      event: escalation ? 'sla.escalated' : 'sla.breached',
      recipientUserId: recipient,
      subject: escalation
        ? `Escalation: ${kindLabel[timer.kind]} SLA missed for ${lead}`
        : `SLA breached: ${kindLabel[timer.kind]} for ${lead} was due ${timer.dueAt.toISOString()}`,
      text: escalation
        ? `Your rep has not met the ${kindLabel[timer.kind]} SLA for ${lead} (due ${timer.dueAt.toISOString()}).`
        : `The ${kindLabel[timer.kind]} SLA for ${lead} was due ${timer.dueAt.toISOString()}. Please act on it now.`,
      data,
      dedupeKey: alertKey(timer),
    });
  }
  await store.markNotified(deps.db, timer.id, recipient, now);
  if (!escalation) await planEscalation(deps, timer);
  else if (timer.kind === 'accept_escalation') await reassignIfPolicySays(deps, timer);
  return 'breached';
}

async function planEscalation(deps: AppDeps, timer: store.ClaimedTimer) {
  const policy = (await store.listPolicies(deps.db)).find((p) => p.id === timer.policyId);
  if (!policy) return;
  const calendar = await repCalendar(deps, timer.userId);
  const dueAt = addWorkingMinutes(timer.dueAt, policy.escalateAfterMinutes, calendar);
  const kind = timer.kind === 'accept' ? 'accept_escalation' : 'first_touch_escalation';
  const created = await store.insertTimers(deps.db, [
    { assignmentId: timer.assignmentId, personId: timer.personId, kind, dueAt },
  ]);
  await scheduleTimers(deps, created);
}

async function reassignIfPolicySays(deps: AppDeps, timer: store.ClaimedTimer) {
  const policy = (await store.listPolicies(deps.db)).find((p) => p.id === timer.policyId);
  if (!policy?.reassignOnEscalation) return;
  // Only if the lead is still with the rep who missed the SLA.
  if ((await openAssignment(deps, timer.personId))?.id !== timer.assignmentId) return;
  try {
    await reassignLead(deps, timer.personId, {
      excludeUserId: timer.userId,
      reason: 'SLA escalation: not accepted or rejected in time',
    });
  } catch (error) {
    // No other rep can take it: the manager was alerted and the lead stays where it is.
    if (!(error instanceof AppError && error.code === 'no_rep_available')) throw error;
  }
}

/** The latest breaches, each saying whether the person alerted was actually told. */
export async function listBreaches(
  deps: { db: Db },
  input: { limit: number; userId?: string | undefined },
): Promise<Breach[]> {
  const rows = await store.listBreaches(deps.db, input);
  return rows.map(({ notifiedAt, notificationId, deliveries, ...breach }) => ({
    ...breach,
    alert: notificationId ? notificationOutcome(deliveries) : unrecordedAlert(breach, notifiedAt),
  }));
}

/** A breach whose alert has no notification in the log. */
function unrecordedAlert(
  breach: Pick<Breach, 'kind' | 'alertedUserId'>,
  notifiedAt: Date | null,
): NotificationOutcome {
  // Claimed, not alerted yet: this server is at it, or the sweep takes it again after a minute.
  if (notifiedAt === null) return { status: 'pending', deliveredVia: [], reason: null };
  const reason =
    breach.alertedUserId === null
      ? breach.kind.endsWith('_escalation')
        ? 'the rep has no manager'
        : 'nobody to alert'
      : // Marked alerted without any message (the demo workspace seeds its breaches so).
        'no message on record';
  return { status: 'not_sent', deliveredVia: [], reason };
}

/** The alert's dedupe key: a breach or an escalation notifies once (listBreaches finds it by it). */
export const alertKey = (timer: Pick<store.TimerRow, 'id' | 'kind'>) =>
  `${timer.kind.endsWith('_escalation') ? 'escalation' : 'breach'}:${timer.id}`;

/**
 * A timer whose job never got sent (the server died between storing the timer and scheduling its
 * job) or whose alert was cut off is found here, every minute, and given its job again; firing is
 * idempotent, so a timer found twice still alerts once.
 */
export function slaTimerSweepJob(deps: () => Promise<AppDeps>): JobDefinition<object> {
  return {
    name: SLA_TIMER_SWEEP_JOB,
    cron: '* * * * *',
    handle: async () => {
      const app = await deps();
      await scheduleTimers(app, await store.overlookedTimers(app.db, app.clock.now(), SWEEP_LIMIT));
    },
  };
}

/** The job that fires timers; it gets the app's deps once they are assembled. */
export function slaTimerJob(deps: () => Promise<AppDeps>): JobDefinition<{ timerId: string }> {
  return {
    name: SLA_TIMER_JOB,
    handle: async ({ timerId }) => {
      // Thrown, so the queue retries it later with backoff.
      if ((await fireSlaTimer(await deps(), timerId)) === 'not_due')
        throw new Error(`SLA timer ${timerId} is not due yet`);
    },
  };
}
