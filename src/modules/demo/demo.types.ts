// The plain records the demo generator returns; demo.seed.ts writes them as they are.

export const demoChannels = [
  'paid_search',
  'organic_search',
  'social',
  'email',
  'webinar',
  'events',
  'referral',
  'content',
] as const;
export type DemoChannel = (typeof demoChannels)[number];

export type DemoActivityType =
  | 'page_view'
  | 'form_submit'
  | 'email_open'
  | 'email_click'
  | 'webinar'
  | 'content_download'
  | 'meeting'
  | 'call';

/** The stage keys of the default lifecycle, which the demo histories follow. */
export type DemoStage =
  | 'new'
  | 'mql'
  | 'sal'
  | 'sql'
  | 'opportunity'
  | 'won'
  | 'lost'
  | 'nurture'
  | 'recycled'
  | 'disqualified';

export interface DemoUser {
  id: string;
  externalId: string;
  email: string;
  name: string;
  team: 'marketing' | 'sales';
  role: 'admin' | 'marketing' | 'sales' | 'viewer';
  /** Job title; the users table has no column for it, so it is not stored. */
  title: string;
  /** Signs lead definitions for their team. */
  approver: boolean;
  createdAt: Date;
}

export interface DemoAccount {
  id: string;
  externalId: string;
  name: string;
  domain: string;
  industry: string;
  employees: number;
  /** ISO 3166-1 alpha-2. */
  country: string;
  ownerId: string;
  createdAt: Date;
}

export interface DemoCampaign {
  id: string;
  externalId: string;
  name: string;
  channel: DemoChannel;
  /** Whole US dollars spent over the year. */
  cost: number;
  startsAt: Date;
  createdAt: Date;
}

export interface DemoPerson {
  id: string;
  externalId: string;
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  phone: string | null;
  country: string;
  accountId: string | null;
  source: DemoChannel;
  campaignId: string;
  landingPage: string;
  ownerId: string | null;
  /** `dealAmount` (USD per year) for people who reached opportunity; empty otherwise. */
  attributes: Record<string, unknown>;
  /** Always the last transition of the person's history. */
  stage: DemoStage;
  stageEnteredAt: Date;
  createdAt: Date;
}

export interface DemoActivity {
  id: string;
  externalId: string;
  personId: string;
  type: DemoActivityType;
  occurredAt: Date;
  campaignId: string | null;
  properties: Record<string, unknown>;
}

export interface DemoTransition {
  personId: string;
  fromStage: DemoStage | null;
  toStage: DemoStage;
  occurredAt: Date;
  actorUserId: string | null;
  rule: string | null;
  reason: string | null;
}

export interface DemoWorkspace {
  users: DemoUser[];
  accounts: DemoAccount[];
  campaigns: DemoCampaign[];
  people: DemoPerson[];
  /** Ordered by person, then time. */
  activities: DemoActivity[];
  /** In the order they were recorded (by time): inserting them in this order gives each history its seq order. */
  transitions: DemoTransition[];
}

export interface DemoCounts {
  users: number;
  accounts: number;
  campaigns: number;
  people: number;
  activities: number;
  stageTransitions: number;
}
