// One person's way through the default lifecycle: which stage comes next, who moved them, why, and
// how long they waited. Time stops at `now`, so recent leads are still early in the funnel.
import { defaultLifecycle } from '../lifecycle/lifecycle.config.ts';
import { assertTransitionAllowed } from '../lifecycle/lifecycle.rules.ts';
import type { ChannelProfile } from './demo.catalog.ts';
import type { Random } from './demo.random.ts';
import type { DemoStage } from './demo.types.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const MAX_STEPS = 16;
const MAX_RECYCLES = 2;

export interface JourneyContext {
  rng: Random;
  now: number;
  firstTouchAt: number;
  profile: ChannelProfile;
  /** 1 = an average lead; above 1 fits the ideal customer profile better. */
  fit: number;
  /** Came in on /demo or /pricing: becomes an MQL within hours, not weeks. */
  hot: boolean;
  sdr: { id: string; acceptance: number };
  aeId: string;
  marketingOpsId: string;
  /**
   * The lead definition, in force from `from`: from then on only it makes MQLs, recorded with its
   * `rule`, and a lead whose fit falls short of it goes to nurture instead, whatever it did.
   */
  definition?: { from: number; rule: string; fitQualifies: boolean };
}

export interface JourneyStep {
  from: DemoStage | null;
  to: DemoStage;
  at: number;
  actorUserId: string | null;
  rule: string | null;
  reason: string | null;
}

interface Move {
  to: DemoStage;
  afterDays: number;
  actorUserId: string | null;
  rule: string | null;
  reason: string | null;
}

const probability = (p: number) => Math.min(0.95, Math.max(0.01, p));

const byRule = (to: DemoStage, afterDays: number, rule: string, reason: string | null = null): Move => ({
  to,
  afterDays,
  actorUserId: null,
  rule,
  reason,
});

const byPerson = (
  to: DemoStage,
  afterDays: number,
  actorUserId: string,
  reason: string | null = null,
): Move => ({
  to,
  afterDays,
  actorUserId,
  rule: null,
  reason,
});

/**
 * Sales accepted fewer MQLs as marketing's volume grew through the year: from about 1.25× the
 * channel's base rate a year ago to 0.7× now, so the leak is worst in the latest months.
 */
function acceptanceTrend(ctx: JourneyContext, at: number): number {
  const yearFraction = Math.min(1, Math.max(0, 1 - (ctx.now - at) / (365 * DAY)));
  return 1.25 - 0.55 * yearFraction;
}

// Why people are turned away, weighted by how often. The codes are the rejection reasons of PRODUCT.md.
// biome-ignore format: a table of reasons reads best one line each
const reasons = {
  disqualifiedOnArrival: [['bad_fit', 6], ['competitor', 1], ['duplicate', 2]],
  notReady: [['not_now', 7], ['no_budget', 3]],
  rejectedMql: [['bad_fit', 4], ['wrong_contact', 2], ['unreachable', 2], ['duplicate', 1], ['competitor', 1]],
  rejectedSal: [['unreachable', 3], ['wrong_contact', 2], ['bad_fit', 2]],
  lostSql: [['no_budget', 3], ['competitor', 2]],
  lostDeal: [['competitor', 35], ['no_decision', 30], ['no_budget', 25], ['price', 10]],
} as const satisfies Record<string, readonly (readonly [string, number])[]>;

function fromNew({ rng, profile, fit, hot, marketingOpsId }: JourneyContext): Move | null {
  const toMql = probability(profile.mql * fit);
  const toDisqualified = 0.04 + 0.4 * Math.max(0, 0.75 - fit);
  const roll = rng.next();
  if (roll < toMql) {
    return byRule('mql', hot ? rng.logNormal(0.15, 1) : rng.logNormal(9, 0.8), 'mql_threshold');
  }
  if (roll < toMql + toDisqualified) {
    return byPerson(
      'disqualified',
      rng.logNormal(2, 0.8),
      marketingOpsId,
      rng.weighted(reasons.disqualifiedOnArrival),
    );
  }
  return rng.chance(0.65) ? byRule('nurture', rng.logNormal(21, 0.5), 'below_threshold') : null;
}

/** The leak: an SDR accepts an MQL, rejects it with a reason, or never touches it. */
function fromMql(ctx: JourneyContext, at: number): Move | null {
  const { rng, profile, fit, sdr } = ctx;
  const accept = probability(profile.accept * Math.sqrt(fit) * sdr.acceptance * acceptanceTrend(ctx, at));
  const roll = rng.next();
  if (roll < accept) return byPerson('sal', rng.logNormal(1.2, 1), sdr.id);
  const rest = (roll - accept) / (1 - accept);
  if (rest < 0.3) return byPerson('nurture', rng.logNormal(4, 0.7), sdr.id, rng.weighted(reasons.notReady));
  if (rest < 0.52) {
    return byPerson('disqualified', rng.logNormal(4, 0.7), sdr.id, rng.weighted(reasons.rejectedMql));
  }
  // Never touched: half go back to nurture when the SLA gives up after a month; half still wait.
  return rng.chance(0.5)
    ? byRule('nurture', 30 + rng.logNormal(6, 0.6), 'sla_unworked_return', 'never_touched')
    : null;
}

function fromSal({ rng, profile, fit, sdr }: JourneyContext): Move {
  if (rng.chance(probability(profile.sql * fit ** 0.3))) {
    return byPerson('sql', rng.logNormal(6, 0.6), sdr.id);
  }
  return rng.chance(0.55)
    ? byPerson('nurture', rng.logNormal(12, 0.6), sdr.id, rng.weighted(reasons.notReady))
    : byPerson('disqualified', rng.logNormal(9, 0.6), sdr.id, rng.weighted(reasons.rejectedSal));
}

function fromSql({ rng, profile, aeId }: JourneyContext): Move {
  if (rng.chance(profile.opportunity)) return byPerson('opportunity', rng.logNormal(8, 0.6), aeId);
  const roll = rng.next();
  if (roll < 0.45) return byPerson('lost', rng.logNormal(18, 0.6), aeId, rng.weighted(reasons.lostSql));
  if (roll < 0.85) return byPerson('nurture', rng.logNormal(18, 0.6), aeId, 'not_now');
  return byPerson('disqualified', rng.logNormal(12, 0.6), aeId, 'bad_fit');
}

function fromOpportunity({ rng, profile, fit, aeId }: JourneyContext): Move {
  if (rng.chance(probability(profile.win * Math.sqrt(fit)))) {
    return byPerson('won', rng.logNormal(52, 0.45), aeId);
  }
  return byPerson('lost', rng.logNormal(40, 0.6), aeId, rng.weighted(reasons.lostDeal));
}

function fromRecycled({ rng, marketingOpsId }: JourneyContext): Move {
  const roll = rng.next();
  if (roll < 0.65) return byRule('mql', rng.logNormal(4, 0.6), 'mql_threshold');
  if (roll < 0.9) return byRule('nurture', rng.logNormal(30, 0.5), 'below_threshold');
  return byPerson('disqualified', rng.logNormal(6, 0.6), marketingOpsId, 'bad_fit');
}

function fromNurture({ rng, fit }: JourneyContext, recycles: number): Move | null {
  if (recycles >= MAX_RECYCLES) return null;
  const roll = rng.next();
  if (roll < 0.2 * Math.min(1.3, fit)) return byRule('recycled', rng.logNormal(55, 0.6), 're_engaged');
  if (roll > 0.95) return byRule('disqualified', rng.logNormal(80, 0.6), 'unsubscribed', 'unsubscribed');
  return null;
}

/** A move to MQL once the lead definition is in force: made by it, for a lead whose fit meets it. */
function underDefinition({ definition }: JourneyContext, move: Move, at: number): Move {
  if (move.to !== 'mql' || !definition || at < definition.from) return move;
  return definition.fitQualifies
    ? { ...move, rule: definition.rule }
    : { ...move, to: 'nurture', rule: 'below_threshold' };
}

/** The next move from `stage`, or null when the person stays there. */
function nextMove(ctx: JourneyContext, stage: DemoStage, at: number, recycles: number): Move | null {
  const { rng } = ctx;
  switch (stage) {
    case 'new':
      return fromNew(ctx);
    case 'mql':
      return fromMql(ctx, at);
    case 'sal':
      return fromSal(ctx);
    case 'sql':
      return fromSql(ctx);
    case 'opportunity':
      return fromOpportunity(ctx);
    case 'recycled':
      return fromRecycled(ctx);
    case 'nurture':
      return fromNurture(ctx, recycles);
    case 'lost':
      return rng.chance(0.55) ? byRule('nurture', rng.logNormal(25, 0.5), 'closed_lost_to_nurture') : null;
    case 'disqualified':
      return recycles < MAX_RECYCLES && rng.chance(0.03)
        ? byRule('recycled', rng.logNormal(120, 0.5), 're_engaged')
        : null;
    case 'won':
      return null;
  }
}

/** People act in working hours (08:00–18:00 UTC, Monday to Friday); this moves a time forward into them. */
export function duringWorkingHours(time: number, rng: Random): number {
  const hour = new Date(time).getUTCHours();
  const startOfDay = Math.floor(time / DAY) * DAY;
  let result = time;
  if (hour < 8) result = startOfDay + 8 * HOUR + rng.int(0, 120) * MINUTE;
  else if (hour >= 18) result = startOfDay + DAY + 8 * HOUR + rng.int(0, 120) * MINUTE;
  while ([0, 6].includes(new Date(result).getUTCDay())) result += DAY;
  return result;
}

/** The person's stage history, first touch included; every step is allowed by the default lifecycle. */
export function simulateJourney(ctx: JourneyContext): JourneyStep[] {
  const steps: JourneyStep[] = [
    { from: null, to: 'new', at: ctx.firstTouchAt, actorUserId: null, rule: 'inbound', reason: null },
  ];
  let stage: DemoStage = 'new';
  let at = ctx.firstTouchAt;
  let recycles = 0;
  while (steps.length < MAX_STEPS) {
    const drawn = nextMove(ctx, stage, at, recycles);
    if (!drawn) break;
    let when = Math.round(at + drawn.afterDays * DAY);
    if (drawn.actorUserId) when = duringWorkingHours(when, ctx.rng);
    if (when > ctx.now) break;
    const move = underDefinition(ctx, drawn, when);
    assertTransitionAllowed(defaultLifecycle, stage, move.to);
    steps.push({
      from: stage,
      to: move.to,
      at: when,
      actorUserId: move.actorUserId,
      rule: move.rule,
      reason: move.reason,
    });
    if (move.to === 'recycled') recycles++;
    stage = move.to;
    at = when;
  }
  return steps;
}
