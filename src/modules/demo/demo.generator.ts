// The demo workspace: a year of a B2B SaaS company's revenue funnel, made up from a seed so that a
// new user's first screen shows real-looking numbers, and the same seed always shows the same ones.

import { journeyActivities } from './demo.activities.ts';
import { addFreshArrivals } from './demo.arrivals.ts';
import {
  type CampaignSpec,
  campaignSpecs,
  channelProfiles,
  type DemoUserSpec,
  demoUserSpecs,
  freeMailCountries,
  hotLandingPages,
  type Territory,
} from './demo.catalog.ts';
import {
  type CompanyDraft,
  fictionalPhone,
  makeCompanies,
  makePerson,
  territoryOf,
} from './demo.companies.ts';
import {
  DEMO_DEFINITION_DAYS_AGO,
  DEMO_DEFINITION_RULE,
  demoFitPoints,
  demoLeadFields,
  fitPointsMeetDemoDefinition,
} from './demo.definition.ts';
import { DAY, HOUR, MINUTE, simulateJourney } from './demo.journey.ts';
import { createRandom, type Random } from './demo.random.ts';
import {
  type DemoAccount,
  type DemoActivity,
  type DemoCampaign,
  type DemoPerson,
  type DemoStage,
  type DemoTransition,
  type DemoUser,
  type DemoWorkspace,
  demoChannels,
} from './demo.types.ts';

export const DEMO_DEFAULT_PEOPLE = 3_000;
const YEAR = 365 * DAY;
const PEOPLE_PER_ACCOUNT = 25;
const FREE_MAIL_SHARE = 0.1;

export interface GenerateDemoOptions {
  seed: number;
  /** The end of the demo year; nothing happens after it. */
  now: Date;
  people?: number;
}

export function generateDemoWorkspace({
  seed,
  now,
  people = DEMO_DEFAULT_PEOPLE,
}: GenerateDemoOptions): DemoWorkspace {
  const rng = createRandom(seed);
  const end = now.getTime();
  const users = demoUserSpecs.map((spec) => makeUser(rng, spec, end));
  const campaigns = campaignSpecs.map((spec) => makeCampaign(rng, spec, end));
  const companies = makeCompanies(rng, Math.max(10, Math.round(people / PEOPLE_PER_ACCOUNT)));
  const cast = castOf(users);
  const accounts = companies.map((company, i) => makeAccount(rng, company, i, cast, end));
  const context: PersonContext = {
    rng,
    end,
    cast,
    campaigns,
    companies,
    accounts,
    // Bigger companies send more people.
    companyWeights: companies.map((company, i) => [i, Math.sqrt(company.employees)] as const),
    usedEmails: new Set<string>(),
  };

  const demoPeople: DemoPerson[] = [];
  const activities: DemoActivity[] = [];
  const transitions: DemoTransition[] = [];
  for (let p = 0; p < people; p++) {
    const made = makePersonWithHistory(context, p);
    demoPeople.push(made.person);
    activities.push(...made.activities);
    transitions.push(...made.transitions);
  }
  // An account appears with its first lead; one nobody came from was on a target list all along.
  const accountById = new Map(accounts.map((account) => [account.id, account]));
  for (const person of demoPeople) {
    const account = person.accountId ? accountById.get(person.accountId) : undefined;
    if (account && person.createdAt < account.createdAt) account.createdAt = person.createdAt;
  }
  addFreshArrivals({
    rng,
    end,
    people: demoPeople,
    activities,
    transitions,
    accounts,
    sdrFor: (account) => seatFor(cast.sdrs, companies[accounts.indexOf(account)]!.territory).id,
    sdrIds: cast.sdrs.map((seat) => seat.id),
    webinarCampaignId: campaigns.find((c) => c.channel === 'webinar')!.id,
  });
  // Recorded as they happened: by time. The sort is stable, so a person's steps at one instant keep their order.
  transitions.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return { users, accounts, campaigns, people: demoPeople, activities, transitions };
}

interface Seat {
  id: string;
  territory: Territory;
  acceptance: number;
}

interface Cast {
  sdrs: Seat[];
  aes: Seat[];
  marketingOpsId: string;
}

function castOf(users: readonly DemoUser[]): Cast {
  const idOf = (key: string) => users[demoUserSpecs.findIndex((spec) => spec.key === key)]!.id;
  const seats = (seat: 'sdr' | 'ae') =>
    demoUserSpecs.flatMap((spec) =>
      spec.seat === seat && spec.territory
        ? [{ id: idOf(spec.key), territory: spec.territory, acceptance: spec.acceptance ?? 1 }]
        : [],
    );
  return { sdrs: seats('sdr'), aes: seats('ae'), marketingOpsId: idOf('marketing-ops') };
}

const seatFor = (seats: readonly Seat[], territory: Territory) =>
  seats.find((seat) => seat.territory === territory)!;

interface PersonContext {
  rng: Random;
  end: number;
  cast: Cast;
  campaigns: readonly DemoCampaign[];
  companies: readonly CompanyDraft[];
  accounts: readonly DemoAccount[];
  companyWeights: readonly (readonly [number, number])[];
  usedEmails: Set<string>;
}

/** One lead: who they are, where they came from, their stage history and what they did. */
function makePersonWithHistory(
  context: PersonContext,
  index: number,
): { person: DemoPerson; activities: DemoActivity[]; transitions: DemoTransition[] } {
  const { rng, end, cast } = context;
  const channel = rng.weighted(demoChannels.map((c) => [c, channelProfiles[c].share] as const));
  const profile = channelProfiles[channel];
  const campaignIndex = rng.pick(campaignSpecs.flatMap((spec, i) => (spec.channel === channel ? [i] : [])));
  const campaign = context.campaigns[campaignIndex]!;
  const firstTouchAt = firstTouchTime(rng, campaign, end);
  const companyIndex = rng.chance(FREE_MAIL_SHARE) ? null : rng.weighted(context.companyWeights);
  const company = companyIndex === null ? null : context.companies[companyIndex]!;
  const account = companyIndex === null ? null : context.accounts[companyIndex]!;
  const identity = makePerson(rng, company, context.usedEmails);
  const country = company?.country ?? rng.weighted(freeMailCountries);
  const territory = company?.territory ?? territoryOf(country, null);
  const sdr = seatFor(cast.sdrs, territory);
  const aeId = account?.ownerId ?? seatFor(cast.aes, territory).id;
  const landingPage = campaignSpecs[campaignIndex]!.landingPage ?? rng.pick(profile.landingPages);
  const hot = hotLandingPages.has(landingPage);
  const fitQualifies = fitPointsMeetDemoDefinition(
    demoFitPoints(
      demoLeadFields({ title: identity.title, country, source: channel, landingPage }, account ?? undefined),
    ),
  );

  const steps = simulateJourney({
    rng,
    now: end,
    firstTouchAt,
    profile,
    fit: identity.fit,
    hot,
    sdr: { id: sdr.id, acceptance: sdr.acceptance },
    aeId,
    marketingOpsId: cast.marketingOpsId,
    definition: { from: end - DEMO_DEFINITION_DAYS_AGO * DAY, rule: DEMO_DEFINITION_RULE, fitQualifies },
  });
  const drafts = journeyActivities(
    {
      rng,
      now: end,
      profile,
      campaignId: campaign.id,
      landingPage,
      hot,
      webinarCampaignId: context.campaigns.find((c) => c.channel === 'webinar')!.id,
      sdrId: sdr.id,
      aeId,
      definitionRule: DEMO_DEFINITION_RULE,
    },
    steps,
  );
  const reached = new Set<DemoStage>(steps.map((step) => step.to));
  const last = steps[steps.length - 1]!;
  const personId = rng.uuid();
  const number = String(index + 1).padStart(5, '0');
  const person: DemoPerson = {
    id: personId,
    externalId: `demo:person:${number}`,
    email: identity.email,
    firstName: identity.firstName,
    lastName: identity.lastName,
    title: identity.title,
    phone: reached.has('sal') ? fictionalPhone(rng, country) : null,
    country,
    accountId: account?.id ?? null,
    source: channel,
    campaignId: campaign.id,
    landingPage,
    // The SDR owns an MQL; from SQL on, the AE does.
    ownerId: reached.has('sql') ? aeId : reached.has('mql') ? sdr.id : null,
    attributes: reached.has('opportunity') ? { dealAmount: dealAmount(rng, company) } : {},
    stage: last.to,
    stageEnteredAt: new Date(last.at),
    createdAt: new Date(firstTouchAt),
  };
  const activities = drafts.map(
    (draft, i): DemoActivity => ({
      id: rng.uuid(),
      externalId: `demo:activity:${number}-${String(i + 1).padStart(3, '0')}`,
      personId,
      type: draft.type,
      occurredAt: new Date(draft.at),
      campaignId: draft.campaignId,
      properties: draft.properties,
    }),
  );
  const transitions = steps.map(
    (step): DemoTransition => ({
      personId,
      fromStage: step.from,
      toStage: step.to,
      occurredAt: new Date(step.at),
      actorUserId: step.actorUserId,
      rule: step.rule,
      reason: step.reason,
    }),
  );
  return { person, activities, transitions };
}

function makeCampaign(rng: Random, spec: CampaignSpec, end: number): DemoCampaign {
  const startsAt = Math.floor((end - spec.startsDaysAgo * DAY) / DAY) * DAY + 9 * HOUR;
  return {
    id: rng.uuid(),
    externalId: `demo:campaign:${spec.key}`,
    name: spec.name,
    channel: spec.channel,
    cost: spec.cost,
    startsAt: new Date(startsAt),
    createdAt: new Date(startsAt - 21 * DAY),
  };
}

function makeAccount(
  rng: Random,
  company: CompanyDraft,
  index: number,
  cast: Cast,
  end: number,
): DemoAccount {
  return {
    id: rng.uuid(),
    externalId: `demo:account:${String(index + 1).padStart(4, '0')}`,
    name: company.name,
    domain: company.domain,
    industry: company.industry,
    employees: company.employees,
    country: company.country,
    ownerId: seatFor(cast.aes, company.territory).id,
    createdAt: new Date(end - YEAR - 7 * DAY),
  };
}

function makeUser(rng: Random, spec: DemoUserSpec, end: number): DemoUser {
  return {
    id: rng.uuid(),
    externalId: `demo:user:${spec.key}`,
    email: spec.email,
    name: spec.name,
    team: spec.team,
    role: spec.role,
    title: spec.title,
    approver: spec.approver ?? false,
    createdAt: new Date(end - YEAR - 30 * DAY),
  };
}

/**
 * When a lead first arrives: events within three days of the event; otherwise any time since the
 * campaign started, with volume growing through the year (density rising from 0.7 to 1.3).
 */
function firstTouchTime(rng: Random, campaign: DemoCampaign, end: number): number {
  const windowStart = end - YEAR;
  const isEvent = campaign.channel === 'events';
  let at: number;
  if (isEvent) {
    at = campaign.startsAt.getTime() + rng.next() * 3 * DAY;
  } else {
    const cdf = (x: number) => 0.7 * x + 0.3 * x * x;
    const from = Math.max(0, (campaign.startsAt.getTime() - windowStart) / YEAR);
    const u = cdf(from) + rng.next() * (1 - cdf(from));
    const x = (-0.7 + Math.sqrt(0.49 + 1.2 * u)) / 0.6;
    // A lead arrives between 07:00 and 22:00 UTC; most skip the weekend.
    const day = Math.floor((windowStart + x * YEAR) / DAY) * DAY;
    at = day + rng.int(7 * 60, 22 * 60) * MINUTE;
    if (at <= Math.max(windowStart, campaign.startsAt.getTime())) at += DAY;
    const weekday = new Date(at).getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng.chance(0.6)) at += (weekday === 6 ? 2 : 1) * DAY;
  }
  return Math.min(Math.round(at), end - rng.int(1, 120) * MINUTE);
}

/** Annual contract value in USD for a deal, growing with company size; rounded to 500. */
function dealAmount(rng: Random, company: CompanyDraft | null): number {
  const base = company ? Math.min(150_000, 8_000 + company.employees * 18) : 6_000;
  return Math.max(3_000, Math.round((base * rng.logNormal(1, 0.3)) / 500) * 500);
}

export type DemoFunnelStage = 'lead' | 'mql' | 'sal' | 'sql' | 'opportunity' | 'won';

/** How many people ever reached each main-path stage (every person is a lead). */
export function demoFunnelCounts(
  workspace: Pick<DemoWorkspace, 'people' | 'transitions'>,
): Record<DemoFunnelStage, number> {
  const reached = new Map<DemoStage, Set<string>>();
  for (const transition of workspace.transitions) {
    const set = reached.get(transition.toStage) ?? new Set<string>();
    set.add(transition.personId);
    reached.set(transition.toStage, set);
  }
  const count = (stage: DemoStage) => reached.get(stage)?.size ?? 0;
  return {
    lead: workspace.people.length,
    mql: count('mql'),
    sal: count('sal'),
    sql: count('sql'),
    opportunity: count('opportunity'),
    won: count('won'),
  };
}
