// Closed-loop feedback: sales' verdict on each MQL (accept → SAL, reject with a reason, "not now" →
// nurture), field insights, and the rep's queue.
import type { AppDeps } from '../../http/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { Principal } from '../auth/access.ts';
import { moveLead } from '../lifecycle/lifecycle.service.ts';
import { endAssignment, managerOf } from '../routing/routing.service.ts';
import {
  type Disposition,
  type DispositionBody,
  type Insight,
  type InsightInput,
  type InsightKind,
  insightKinds,
  type QueueItem,
  type RejectionReason,
  rejectionReasonKeys,
  rejectionReasons,
} from './feedback.schema.ts';
import * as store from './feedback.store.ts';

type FeedbackDeps = Pick<AppDeps, 'db' | 'clock' | 'lifecycle'>;

export const nextStageOf = (decision: 'accepted' | 'rejected', reason: string | null) =>
  decision === 'accepted' ? 'sal' : reason === 'not_now' ? 'nurture' : 'disqualified';

function toDisposition(row: store.DispositionRow): Disposition {
  return {
    ...row,
    reasonLabel: row.reason ? (rejectionReasons[row.reason as RejectionReason] ?? row.reason) : null,
    stage: nextStageOf(row.decision, row.reason),
  };
}

function validReason(body: DispositionBody): RejectionReason | null {
  if (body.decision === 'accept') {
    if (body.reason !== undefined) {
      throw new AppError('validation_failed', 'reason: only a rejection carries a reason.', {
        field: 'reason',
      });
    }
    return null;
  }
  if (body.reason === undefined || body.reason.trim() === '') {
    throw new AppError(
      'validation_failed',
      `reason: a rejection needs a reason, one of ${rejectionReasonKeys.join(', ')}.`,
      {
        field: 'reason',
        allowed: rejectionReasonKeys,
      },
    );
  }
  if (!(rejectionReasonKeys as string[]).includes(body.reason)) {
    throw new AppError(
      'validation_failed',
      `reason: "${body.reason}" is not a rejection reason; use one of ${rejectionReasonKeys.join(', ')}.`,
      { field: 'reason', allowed: rejectionReasonKeys },
    );
  }
  return body.reason as RejectionReason;
}

/**
 * Records sales' verdict on an MQL and moves the lead (SAL, nurture or disqualified) in one
 * transaction. Only the rep it is assigned to (or an admin) may decide; a second verdict is a 409
 * that shows the first.
 */
export async function disposeLead(
  deps: FeedbackDeps,
  personId: string,
  body: DispositionBody,
  actor: Principal,
): Promise<Disposition> {
  const reason = validReason(body);
  if (!(await store.personExists(deps.db, personId)))
    throw new AppError('not_found', `There is no person ${personId}.`);
  const assignment = await store.currentAssignment(deps.db, personId);
  if (!assignment) {
    throw new AppError(
      'lead_not_assigned',
      'This lead is not assigned to a rep, so there is nothing to accept or reject.',
    );
  }
  if (actor.role !== 'admin' && actor.userId !== assignment.userId) {
    throw new AppError('forbidden', 'Only the rep this lead is assigned to may accept or reject it.', {
      assignedTo: assignment.userId,
    });
  }
  const first = await store.dispositionOf(deps.db, assignment.id);
  if (first) throw alreadyDisposed(first);
  const decision = body.decision === 'accept' ? 'accepted' : 'rejected';
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const inserted = await store.insertDisposition(tx, {
      assignmentId: assignment.id,
      personId,
      userId: actor.userId,
      decision,
      reason,
      note: body.note ?? null,
      decidedAt: now,
    });
    if (!inserted) {
      const winner = await store.dispositionOf(tx, assignment.id);
      throw winner
        ? alreadyDisposed(winner)
        : new AppError('already_disposed', 'This lead was just decided on.');
    }
    // Sales may send a lead back to marketing's nurture; the lifecycle's team check is for people moving
    // stages by hand, so the move is recorded as the feedback rule, with the rep in the reason.
    await moveLead(
      { ...deps, db: tx },
      {
        personId,
        to: nextStageOf(decision, reason),
        actor: null,
        rule: 'sales feedback',
        reason: [
          `${decision} by ${actor.name}`,
          reason ? rejectionReasons[reason] : null,
          body.note ? `“${body.note}”` : null,
        ]
          .filter(Boolean)
          .join(': '),
        occurredAt: now,
      },
    );
    // A rejected lead leaves the rep's book; if it comes back as an MQL it is routed afresh.
    if (decision === 'rejected') await endAssignment({ db: tx }, assignment.id, now, `rejected: ${reason}`);
    return toDisposition(inserted);
  });
}

function alreadyDisposed(first: store.DispositionRow) {
  const shown = toDisposition(first);
  return new AppError(
    'already_disposed',
    `This lead was already ${first.decision} by ${first.userName ?? 'someone'} at ${first.decidedAt.toISOString()}.`,
    { first: { ...shown, decidedAt: shown.decidedAt.toISOString() } },
  );
}

export async function getDisposition(deps: Pick<AppDeps, 'db'>, personId: string): Promise<Disposition> {
  const row = await store.latestDisposition(deps.db, personId);
  if (!row) throw new AppError('not_found', `Sales has not decided on lead ${personId} yet.`);
  return toDisposition(row);
}

const withLabel = (insight: Omit<Insight, 'kindLabel'>): Insight => ({
  ...insight,
  kindLabel: insightKinds[insight.kind as InsightKind] ?? insight.kind,
});

export async function logInsight(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: InsightInput,
  actor: Principal,
): Promise<Insight> {
  if (input.personId && !(await store.personExists(deps.db, input.personId))) {
    throw new AppError('not_found', `There is no person ${input.personId}.`, { field: 'personId' });
  }
  if (input.accountId && !(await store.accountExists(deps.db, input.accountId))) {
    throw new AppError('not_found', `There is no account ${input.accountId}.`, { field: 'accountId' });
  }
  const row = await store.insertInsight(deps.db, {
    personId: input.personId ?? null,
    accountId: input.accountId ?? null,
    userId: actor.userId,
    kind: input.kind,
    competitor: input.competitor ?? null,
    text: input.text,
    at: deps.clock.now(),
  });
  return withLabel(row);
}

export async function listInsights(
  deps: Pick<AppDeps, 'db'>,
  query: Parameters<typeof store.listInsights>[1],
): Promise<Insight[]> {
  return (await store.listInsights(deps.db, query)).map(withLabel);
}

/** The rep's queue (an admin may look at anyone's); minutes left count from the injected clock. */
export async function salesQueue(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Principal,
  userId: string | undefined,
): Promise<{ userId: string; items: QueueItem[] }> {
  const whose = userId ?? actor.userId;
  if (!whose)
    throw new AppError('validation_failed', 'userId: this token has no user; name whose queue to show.');
  if (whose !== actor.userId && actor.role !== 'admin' && (await managerOf(deps, whose)) !== actor.userId) {
    throw new AppError('forbidden', 'Only an admin or the rep’s manager may look at another rep’s queue.');
  }
  const now = deps.clock.now().getTime();
  const rows = await store.salesQueue(deps.db, whose);
  return {
    userId: whose,
    items: rows.map((row) => {
      const minutesLeft = row.acceptDueAt ? Math.round((row.acceptDueAt.getTime() - now) / 60_000) : null;
      return { ...row, minutesLeft, overdue: minutesLeft !== null && minutesLeft < 0 };
    }),
  };
}
