// Routing: who gets a new MQL, by the account owner, ordered rules and weighted round-robin, with the
// rule that chose the rep recorded; the rep is notified and the SLA timers start in the same step.
import type { Db } from '../../db/client.ts';
import type { AppDeps } from '../../http/types.ts';
import { coalesced } from '../../shared/coalesce.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import { notify } from '../notifications/notifications.service.ts';
import { listPolicies, planTimers, policyFor, scheduleTimers, slaDeadlines } from '../sla/sla.service.ts';
import type { TimerRow } from '../sla/sla.store.ts';
import type { WorkingCalendar } from '../sla/working-hours.ts';
import { decideRouting, isOutOfOffice } from './routing.rules.ts';
import type { Assignment, Rep, RepSettingsInput, RoutingRule, RoutingRuleInput } from './routing.schema.ts';
import * as store from './routing.store.ts';

type RoutingDeps = Pick<AppDeps, 'db' | 'clock' | 'jobs'> & Partial<AppDeps>;

const minutesToHhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const hhmmToMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const calendarOf = (rep: store.RepRow): WorkingCalendar => ({
  timeZone: rep.timeZone,
  workingDays: rep.workingDays,
  workStartMinute: rep.workStartMinute,
  workEndMinute: rep.workEndMinute,
});

function toRep(row: store.RepRow, now: Date): Rep {
  const { workStartMinute, workEndMinute, recentAssignments: _recent, ...rest } = row;
  return {
    ...rest,
    workStart: minutesToHhmm(workStartMinute),
    workEnd: minutesToHhmm(workEndMinute),
    outOfOffice: isOutOfOffice(row, now),
    atCapacity: row.openMqls >= row.capacity,
  };
}

export async function listReps(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<Rep[]> {
  const now = deps.clock.now();
  return (await store.listReps(deps.db, now)).map((row) => toRep(row, now));
}

/** The rep's working calendar (defaults when none was set: UTC, Mon–Fri 09:00–17:00). */
export async function repCalendar(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  userId: string,
): Promise<WorkingCalendar> {
  const [rep] = await store.listReps(deps.db, deps.clock.now(), userId);
  return rep
    ? calendarOf(rep)
    : { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], workStartMinute: 540, workEndMinute: 1020 };
}

/** The rep's manager (rep settings), if one was set. */
export async function managerOf(deps: Pick<AppDeps, 'db' | 'clock'>, userId: string): Promise<string | null> {
  const [rep] = await store.listReps(deps.db, deps.clock.now(), userId);
  return rep?.managerId ?? null;
}

/** Admins change anyone's settings; a rep may change their own calendar and out-of-office, nothing else. */
export async function updateRepSettings(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  userId: string,
  input: RepSettingsInput,
  actor: Principal,
): Promise<Rep> {
  if (actor.role !== 'admin') {
    const own = actor.userId === userId;
    const forbidden = (['salesTeam', 'capacity', 'weight', 'managerId', 'active'] as const).filter(
      (key) => input[key] !== undefined,
    );
    if (!own || forbidden.length > 0) {
      throw new AppError(
        'forbidden',
        own ? 'Only an admin may change these settings.' : 'You may only change your own settings.',
        {
          fields: forbidden,
        },
      );
    }
  }
  const user = await store.userExists(deps.db, userId);
  if (!user) throw new AppError('not_found', `There is no user ${userId}.`);
  if (user.team !== 'sales') {
    throw new AppError('validation_failed', 'Only members of the sales team can be reps.', {
      team: user.team,
    });
  }
  if (input.managerId && !(await store.userExists(deps.db, input.managerId))) {
    throw new AppError('validation_failed', `managerId: there is no user ${input.managerId}.`, {
      field: 'managerId',
    });
  }
  const now = deps.clock.now();
  const [current] = await store.listReps(deps.db, now, userId);
  const base = current ?? {
    salesTeam: 'default',
    timeZone: 'UTC',
    workingDays: [1, 2, 3, 4, 5],
    workStartMinute: 540,
    workEndMinute: 1020,
    outOfOfficeFrom: null,
    outOfOfficeUntil: null,
    capacity: 25,
    weight: 1,
    managerId: null,
    active: true,
  };
  const values = {
    salesTeam: input.salesTeam ?? base.salesTeam,
    timeZone: input.timeZone ?? base.timeZone,
    workingDays: [...new Set(input.workingDays ?? base.workingDays)].sort(),
    workStartMinute: input.workStart ? hhmmToMinutes(input.workStart) : base.workStartMinute,
    workEndMinute: input.workEnd ? hhmmToMinutes(input.workEnd) : base.workEndMinute,
    outOfOfficeFrom: input.outOfOfficeFrom === undefined ? base.outOfOfficeFrom : input.outOfOfficeFrom,
    outOfOfficeUntil: input.outOfOfficeUntil === undefined ? base.outOfOfficeUntil : input.outOfOfficeUntil,
    capacity: input.capacity ?? base.capacity,
    weight: input.weight ?? base.weight,
    managerId: input.managerId === undefined ? base.managerId : input.managerId,
    active: input.active ?? base.active,
  };
  if (values.workEndMinute <= values.workStartMinute) {
    throw new AppError('validation_failed', 'workEnd must be after workStart.', {
      field: 'workEnd',
      workStart: minutesToHhmm(values.workStartMinute),
      workEnd: minutesToHhmm(values.workEndMinute),
    });
  }
  if (
    values.outOfOfficeFrom &&
    values.outOfOfficeUntil &&
    values.outOfOfficeUntil <= values.outOfOfficeFrom
  ) {
    throw new AppError('validation_failed', 'outOfOfficeUntil must be after outOfOfficeFrom.', {
      field: 'outOfOfficeUntil',
    });
  }
  await store.upsertRepSettings(deps.db, userId, values, now);
  const [rep] = await store.listReps(deps.db, now, userId);
  return toRep(rep!, now);
}

export const listRules = (deps: { db: Db }): Promise<RoutingRule[]> => store.listRules(deps.db);

async function ruleValues(db: Db, input: RoutingRuleInput) {
  if (input.assignToUserId && !(await store.userExists(db, input.assignToUserId))) {
    throw new AppError('validation_failed', `assignToUserId: there is no user ${input.assignToUserId}.`, {
      field: 'assignToUserId',
    });
  }
  return {
    position: input.position,
    name: input.name,
    conditions: input.conditions,
    assignToUserId: input.assignToUserId ?? null,
    assignToTeam: input.assignToTeam ?? null,
    active: input.active ?? true,
  };
}

export async function createRule(deps: { db: Db }, input: RoutingRuleInput): Promise<RoutingRule> {
  return store.insertRule(deps.db, await ruleValues(deps.db, input));
}

export async function updateRule(
  deps: { db: Db },
  id: string,
  input: RoutingRuleInput,
): Promise<RoutingRule> {
  const rule = await store.updateRule(deps.db, id, await ruleValues(deps.db, input));
  if (!rule) throw new AppError('not_found', `There is no routing rule ${id}.`);
  return rule;
}

export async function deleteRule(deps: { db: Db }, id: string): Promise<void> {
  if (!(await store.deleteRule(deps.db, id)))
    throw new AppError('not_found', `There is no routing rule ${id}.`);
}

type RoutingOptions = { excludeUserId?: string; forceUserId?: string; reason?: string };
interface Routed {
  assignments: store.AssignmentRow[];
  timers: TimerRow[];
}

/**
 * Routes leads that just became MQLs and have no owner from routing yet: decides, records the
 * assignments with their SLA deadlines and timers in one transaction, then schedules the timers and
 * notifies the reps. Returns the assignments made.
 */
export async function routeNewMqls(
  deps: RoutingDeps,
  personIds: string[],
  options: RoutingOptions = {},
): Promise<store.AssignmentRow[]> {
  const routed = await assignNewMqls(deps, personIds, options);
  await announce(deps, routed);
  return routed.assignments;
}

/**
 * `routeNewMqls` for the leads a server sees become MQLs, as they come: the assignments of the leads
 * that arrive while a routing runs are decided together in the next one (one turn of the
 * workspace's routing lock per wave, not per request); each call then schedules the timers and
 * notifies the reps of its own leads, outside the wave. Resolves once its leads are routed.
 */
export function routeNewMqlsInWaves(
  depsOf: () => Promise<RoutingDeps>,
): (personIds: string[]) => Promise<void> {
  const assignInWaves = coalesced(async (personIds: string[]) => assignNewMqls(await depsOf(), personIds));
  return async (personIds) => {
    const wave = await assignInWaves(personIds);
    const mine = new Set(personIds);
    await announce(await depsOf(), {
      assignments: wave.assignments.filter((assignment) => mine.has(assignment.personId)),
      timers: wave.timers.filter((timer) => mine.has(timer.personId)),
    });
  };
}

/** Decides and records the assignments and their SLA timers, in one transaction. */
async function assignNewMqls(
  deps: RoutingDeps,
  personIds: string[],
  options: RoutingOptions = {},
): Promise<Routed> {
  if (personIds.length === 0) return { assignments: [], timers: [] };
  const now = deps.clock.now();
  // The rules and SLA policies are read first, side by side (on PostgreSQL, on two connections):
  // their editors never take the routing lock, so a transaction adds nothing to them.
  const [rules, policies] = await Promise.all([
    options.forceUserId ? [] : store.listRules(deps.db, true),
    listPolicies(deps),
  ]);
  return deps.db.transaction(async (tx) => {
    // The lock serialises every routing in the workspace, so that each decision sees the reps'
    // loads with every earlier assignment in them; each statement held under it makes every other
    // routing wait. Read before it: the leads. A lead routed meanwhile by another routing is not
    // routed twice: one open assignment per lead is a unique index, and the insert below skips a
    // lead that has one.
    const leads = (await store.takeRoutableLeads(tx, personIds, now)).filter(
      (lead) => lead.stage === 'mql' && !lead.hasOpenAssignment,
    );
    if (leads.length === 0) return { assignments: [], timers: [] };
    await store.lockRouting(tx);
    const reps = (await store.listReps(tx, now)).filter((rep) => rep.userId !== options.excludeUserId);
    const { decisions } = options.forceUserId
      ? { decisions: forced(leads, reps, options.forceUserId) }
      : decideRouting(leads, reps, rules, now);
    const repsById = new Map(reps.map((rep) => [rep.userId, rep]));
    const grades = new Map(leads.map((lead) => [lead.id, lead.grade]));
    const rows = decisions.map((decision) => {
      const rep = repsById.get(decision.userId)!;
      const deadlines = slaDeadlines(
        policyFor(policies, grades.get(decision.personId) ?? null),
        calendarOf(rep),
        now,
      );
      return { ...decision, rule: options.reason ?? decision.rule, assignedAt: now, ...deadlines };
    });
    const inserted = await store.insertAssignments(tx, rows);
    return { assignments: inserted, timers: await planTimers(tx, inserted) };
  });
}

/** Schedules the timers' jobs and notifies each rep of their new lead, all at once. */
async function announce(deps: RoutingDeps, { assignments, timers }: Routed): Promise<void> {
  const full = deps.config && deps.database && deps.lifecycle ? (deps as AppDeps) : undefined;
  await Promise.all([
    scheduleTimers(deps, timers),
    ...(full ? assignments.map((assignment) => notifyAssigned(full, assignment)) : []),
  ]);
}

function forced(leads: store.RoutableLead[], reps: store.RepRow[], userId: string) {
  const rep = reps.find((r) => r.userId === userId);
  if (!rep)
    throw new AppError('validation_failed', `userId: ${userId} is not a sales rep.`, { field: 'userId' });
  return leads.map((lead) => ({
    personId: lead.id,
    userId,
    salesTeam: rep.salesTeam,
    rule: 'manual',
    ruleId: null,
  }));
}

async function notifyAssigned(deps: AppDeps, assignment: store.AssignmentRow) {
  const due = assignment.acceptDueAt ? ` Accept or reject by ${assignment.acceptDueAt.toISOString()}.` : '';
  await notify(deps, {
    event: 'lead.assigned',
    recipientUserId: assignment.userId,
    subject: 'A new MQL was assigned to you',
    text: `A new MQL was routed to you (${assignment.rule}).${due}`,
    data: {
      personId: assignment.personId,
      assignmentId: assignment.id,
      rule: assignment.rule,
      assignedAt: assignment.assignedAt.toISOString(),
      acceptDueAt: assignment.acceptDueAt?.toISOString() ?? null,
      firstTouchDueAt: assignment.firstTouchDueAt?.toISOString() ?? null,
    },
    dedupeKey: `assigned:${assignment.id}`,
  });
}

/**
 * Ends the lead's open assignment and routes it again (to `userId` when given, else by the rules,
 * never back to `excludeUserId`; by the rules, never back to the rep who has it now).
 */
export async function reassignLead(
  deps: RoutingDeps,
  personId: string,
  input: { userId?: string; excludeUserId?: string; reason?: string },
): Promise<store.AssignmentRow> {
  const stage = await store.personStage(deps.db, personId);
  if (!stage) throw new AppError('not_found', `There is no person ${personId}.`);
  if (stage.stage !== 'mql') {
    throw new AppError(
      'stage_transition_not_allowed',
      'Only an MQL waiting for sales can be (re-)assigned.',
      {
        stage: stage.stage,
      },
    );
  }
  const open = await store.openAssignment(deps.db, personId);
  if (open) await store.endAssignment(deps.db, open.id, deps.clock.now(), input.reason ?? 're-assigned');
  // Routing again by the rules means someone other than the rep who has it now.
  const excludeUserId = input.excludeUserId ?? (input.userId ? undefined : open?.userId);
  const [assignment] = await routeNewMqls(deps, [personId], {
    ...(input.userId ? { forceUserId: input.userId } : {}),
    ...(excludeUserId ? { excludeUserId } : {}),
    ...(input.reason && input.userId ? { reason: `manual: ${input.reason}` } : {}),
  });
  if (!assignment) {
    // Nobody could take it: the lead stays with the rep it had rather than with no one.
    if (open) await store.reopenAssignment(deps.db, open.id);
    throw new AppError(
      'no_rep_available',
      'No rep is available for this lead (all out of office, inactive or at capacity).',
      {
        excludedUserId: excludeUserId ?? null,
      },
    );
  }
  return assignment;
}

export const endAssignment = (deps: { db: Db }, id: string, at: Date, reason: string) =>
  store.endAssignment(deps.db, id, at, reason);
export const openAssignment = (deps: { db: Db }, personId: string) => store.openAssignment(deps.db, personId);
export const assignmentById = (deps: { db: Db }, id: string) => store.assignmentById(deps.db, id);

export async function listAssignments(deps: { db: Db }, personId: string): Promise<Assignment[]> {
  if (!(await store.personStage(deps.db, personId)))
    throw new AppError('not_found', `There is no person ${personId}.`);
  return store.listAssignments(deps.db, personId);
}
