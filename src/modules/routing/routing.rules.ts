// Who gets a new MQL: pure decisions over leads, reps and rules already loaded (tested without a database).
import type { RoutingCondition } from './routing.schema.ts';
import type { RepRow, RoutableLead, RuleRow } from './routing.store.ts';

export interface RoutingDecision {
  personId: string;
  userId: string;
  salesTeam: string;
  rule: string;
  ruleId: string | null;
}

export function isOutOfOffice(rep: Pick<RepRow, 'outOfOfficeFrom' | 'outOfOfficeUntil'>, now: Date): boolean {
  if (!rep.outOfOfficeFrom && !rep.outOfOfficeUntil) return false;
  const from = rep.outOfOfficeFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
  const until = rep.outOfOfficeUntil?.getTime() ?? Number.POSITIVE_INFINITY;
  return from <= now.getTime() && now.getTime() < until;
}

function fieldValue(lead: RoutableLead, field: string): unknown {
  const personAttribute = /^person\.attributes\.(.+)$/.exec(field);
  if (personAttribute) return lead.personAttributes[personAttribute[1]!];
  const accountAttribute = /^account\.attributes\.(.+)$/.exec(field);
  if (accountAttribute) return lead.accountAttributes[accountAttribute[1]!];
  return lead.fields[field];
}

const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

export function conditionHolds(lead: RoutableLead, condition: RoutingCondition): boolean {
  const value = fieldValue(lead, condition.field);
  const present = value !== null && value !== undefined && value !== '';
  const list = Array.isArray(condition.value) ? condition.value : [condition.value];
  switch (condition.op) {
    case 'exists':
      return present;
    case 'equals':
      return present && same(value, condition.value);
    case 'not_equals':
      return !present || !same(value, condition.value);
    case 'in':
      return present && list.some((item) => same(value, item));
    case 'not_in':
      return !present || !list.some((item) => same(value, item));
    case 'contains':
      return (
        present &&
        String(value)
          .toLowerCase()
          .includes(String(condition.value ?? '').toLowerCase())
      );
    case 'gte':
      return present && Number(value) >= Number(condition.value);
    case 'lte':
      return present && Number(value) <= Number(condition.value);
  }
}

/**
 * Routes each lead in order: the account's owner, then the first matching rule (a named rep or
 * weighted round-robin in a team), then weighted round-robin over every rep. Out-of-office,
 * inactive and at-capacity reps are skipped; the load counts each decision made in this batch.
 */
export function decideRouting(
  leads: RoutableLead[],
  reps: RepRow[],
  rules: RuleRow[],
  now: Date,
): { decisions: RoutingDecision[]; unrouted: string[] } {
  const byId = new Map(reps.map((rep) => [rep.userId, { ...rep }]));
  const available = (rep: RepRow | undefined) => Boolean(rep?.active && !isOutOfOffice(rep, now));
  const hasRoom = (rep: RepRow) => rep.openMqls < rep.capacity;
  const take = (rep: RepRow) => {
    rep.openMqls += 1;
    rep.recentAssignments += 1;
  };
  // Weighted round-robin: the rep furthest behind their share (assignments per unit of weight).
  const roundRobin = (team: string | null) => {
    let best: RepRow | undefined;
    for (const rep of byId.values()) {
      if (team !== null && rep.salesTeam !== team) continue;
      if (!available(rep) || !hasRoom(rep) || rep.weight <= 0) continue;
      const share = (rep.recentAssignments + 1) / rep.weight;
      const bestShare = best ? (best.recentAssignments + 1) / best.weight : Number.POSITIVE_INFINITY;
      if (share < bestShare) best = rep;
    }
    return best;
  };

  const decisions: RoutingDecision[] = [];
  const unrouted: string[] = [];
  for (const lead of leads) {
    const decide = (rep: RepRow, rule: string, ruleId: string | null) => {
      take(rep);
      decisions.push({ personId: lead.id, userId: rep.userId, salesTeam: rep.salesTeam, rule, ruleId });
    };
    const owner = lead.accountOwnerId ? byId.get(lead.accountOwnerId) : undefined;
    if (owner && available(owner)) {
      decide(owner, 'account owner', null);
      continue;
    }
    let routed = false;
    for (const rule of rules) {
      if (!rule.conditions.every((condition) => conditionHolds(lead, condition))) continue;
      if (rule.assignToUserId) {
        const rep = byId.get(rule.assignToUserId);
        if (rep && available(rep) && hasRoom(rep)) {
          decide(rep, `rule: ${rule.name}`, rule.id);
          routed = true;
          break;
        }
      } else if (rule.assignToTeam) {
        const rep = roundRobin(rule.assignToTeam);
        if (rep) {
          decide(rep, `rule: ${rule.name} (round-robin in ${rule.assignToTeam})`, rule.id);
          routed = true;
          break;
        }
      }
    }
    if (routed) continue;
    const rep = roundRobin(null);
    if (rep) decide(rep, 'round-robin: all reps', null);
    else unrouted.push(lead.id);
  }
  return { decisions, unrouted };
}
