// The demo's last hour: a few well-fitting leads that asked for a demo this morning and became MQLs
// minutes ago, two for each SDR, so that My queue opens on leads still inside their SLA, with a
// countdown, beside the older ones nobody worked.
import {
  DEMO_DEFINITION_RULE,
  demoFitPoints,
  demoLeadFields,
  fitPointsMeetDemoDefinition,
} from './demo.definition.ts';
import type { Random } from './demo.random.ts';
import type { DemoAccount, DemoActivity, DemoPerson, DemoTransition } from './demo.types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Leads per SDR. */
const PER_SDR = 2;

export interface ArrivalsInput {
  rng: Random;
  end: number;
  people: DemoPerson[];
  activities: DemoActivity[];
  transitions: DemoTransition[];
  accounts: readonly DemoAccount[];
  /** The SDR who works leads from this account's territory. */
  sdrFor: (account: DemoAccount) => string;
  sdrIds: readonly string[];
  webinarCampaignId: string;
}

/**
 * Picks, for each SDR, the best-fitting leads still "new" that came in two to thirty days ago from a
 * company, whose fit meets the lead definition's MQL rule, and gives each a webinar yesterday, a
 * pricing visit an hour ago and a demo request that crossed the MQL line minutes ago.
 */
export function addFreshArrivals(input: ArrivalsInput): void {
  const { end, rng } = input;
  const accountById = new Map(input.accounts.map((account) => [account.id, account]));
  const taken = new Map<string, number>(input.sdrIds.map((id) => [id, 0]));
  const candidates = input.people
    .flatMap((person) => {
      const age = end - person.createdAt.getTime();
      if (person.stage !== 'new' || age > 30 * 24 * HOUR || age < 2 * 24 * HOUR) return [];
      const account = person.accountId ? accountById.get(person.accountId) : undefined;
      if (!account) return [];
      const fit = demoFitPoints(demoLeadFields(person, account));
      return fitPointsMeetDemoDefinition(fit) ? [{ person, account, fit }] : [];
    })
    .sort((a, b) => b.fit - a.fit);
  let arrival = 0;
  for (const { person, account } of candidates) {
    const sdrId = input.sdrFor(account);
    const count = taken.get(sdrId);
    if (count === undefined || count >= PER_SDR) continue;
    taken.set(sdrId, count + 1);
    arrival++;
    const mqlAt = end - (12 + arrival * 23) * MINUTE;
    const touches: Omit<DemoActivity, 'id' | 'externalId' | 'personId'>[] = [
      {
        type: 'webinar',
        occurredAt: new Date(mqlAt - 20 * HOUR),
        campaignId: input.webinarCampaignId,
        properties: { attended: true },
      },
      {
        type: 'page_view',
        occurredAt: new Date(mqlAt - HOUR),
        campaignId: null,
        properties: { url: '/pricing' },
      },
      {
        type: 'form_submit',
        occurredAt: new Date(mqlAt),
        campaignId: null,
        properties: { form: 'demo_request' },
      },
    ];
    const number = person.externalId.replace('demo:person:', '');
    const added = touches.map((touch, i) => ({
      ...touch,
      id: rng.uuid(),
      externalId: `demo:activity:${number}-arrival-${i + 1}`,
      personId: person.id,
    }));
    // The person's activities stay together and in time order, now at the end of the list.
    const theirs = input.activities.filter((activity) => activity.personId === person.id);
    const others = input.activities.filter((activity) => activity.personId !== person.id);
    const merged = [...theirs, ...added].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    input.activities.length = 0;
    for (const activity of [others, merged].flat()) input.activities.push(activity);
    input.transitions.push({
      personId: person.id,
      fromStage: 'new',
      toStage: 'mql',
      occurredAt: new Date(mqlAt),
      actorUserId: null,
      rule: DEMO_DEFINITION_RULE,
      reason: null,
    });
    person.stage = 'mql';
    person.stageEnteredAt = new Date(mqlAt);
    person.ownerId = sdrId;
    if ([...taken.values()].every((n) => n >= PER_SDR)) break;
  }
}
