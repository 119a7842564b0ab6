// The fixed cast and vocabulary of the demo company's revenue team. Every company and person is
// made up; company domains end in .example (RFC 2606), so no demo email can reach a real inbox.
import { DEMO_ADMIN_EMAIL } from './demo.constants.ts';
import type { DemoActivityType, DemoChannel, DemoUser } from './demo.types.ts';

export const DEMO_USER_DOMAIN = 'demo.lockstep.dev';

export type SalesSeat = 'manager' | 'sdr' | 'ae';
export type Region = 'na' | 'emea' | 'apac';
/** Sales territories: one SDR and one AE each. */
export type Territory = 'na_enterprise' | 'emea' | 'growth';

export interface DemoUserSpec extends Pick<DemoUser, 'name' | 'team' | 'role' | 'title'> {
  key: string;
  /** Signs lead definitions for their team: one per team, the heads who agreed the definition. */
  approver?: true;
  email: string;
  seat?: SalesSeat;
  territory?: Territory;
  /** How readily an SDR accepts the MQLs routed to them (1 = team average). */
  acceptance?: number;
}

const at = (local: string) => `${local}@${DEMO_USER_DOMAIN}`;

// biome-ignore format: the cast reads best as a table, one person a line
export const demoUserSpecs: readonly DemoUserSpec[] = [
  { key: 'admin', name: 'Dana Admin', email: DEMO_ADMIN_EMAIL, team: 'sales', role: 'admin', title: 'Head of Revenue Operations' },
  { key: 'marketing-head', name: 'Maya Lindqvist', email: at('maya.lindqvist'), team: 'marketing', role: 'marketing', title: 'Head of Demand Generation', approver: true },
  { key: 'marketing-ops', name: 'Tom Becker', email: at('tom.becker'), team: 'marketing', role: 'marketing', title: 'Marketing Operations Manager' },
  { key: 'sales-manager', name: 'Rachel Kim', email: at('rachel.kim'), team: 'sales', role: 'sales', title: 'Sales Manager', seat: 'manager', approver: true },
  { key: 'sdr-1', name: 'Leo Martins', email: at('leo.martins'), team: 'sales', role: 'sales', title: 'Sales Development Representative', seat: 'sdr', territory: 'na_enterprise', acceptance: 1.1 },
  { key: 'sdr-2', name: 'Priya Nair', email: at('priya.nair'), team: 'sales', role: 'sales', title: 'Sales Development Representative', seat: 'sdr', territory: 'emea', acceptance: 1 },
  // The rep a breakdown by rep should single out: the biggest territory and the lowest acceptance.
  { key: 'sdr-3', name: 'Jonas Weber', email: at('jonas.weber'), team: 'sales', role: 'sales', title: 'Sales Development Representative', seat: 'sdr', territory: 'growth', acceptance: 0.6 },
  { key: 'ae-1', name: 'Marcus Hale', email: at('marcus.hale'), team: 'sales', role: 'sales', title: 'Account Executive', seat: 'ae', territory: 'na_enterprise' },
  { key: 'ae-2', name: 'Sofia Russo', email: at('sofia.russo'), team: 'sales', role: 'sales', title: 'Account Executive', seat: 'ae', territory: 'emea' },
  { key: 'ae-3', name: 'Kenji Tanaka', email: at('kenji.tanaka'), team: 'sales', role: 'sales', title: 'Account Executive', seat: 'ae', territory: 'growth' },
  { key: 'viewer', name: 'Alex Morgan', email: at('alex.morgan'), team: 'sales', role: 'viewer', title: 'Chief Executive Officer' },
];

/** Country → region and weight among demo companies. */
export const countries: readonly (readonly [string, Region, number])[] = [
  ['US', 'na', 42],
  ['CA', 'na', 6],
  ['GB', 'emea', 14],
  ['DE', 'emea', 10],
  ['FR', 'emea', 6],
  ['NL', 'emea', 5],
  ['SE', 'emea', 4],
  ['AU', 'apac', 6],
  ['SG', 'apac', 3],
  ['IN', 'apac', 4],
];

/** Industry → weight among demo companies and how well it fits the ideal customer profile. */
export const industries: readonly (readonly [string, number, number])[] = [
  ['Software', 26, 1.25],
  ['Fintech', 12, 1.2],
  ['Professional Services', 12, 1.05],
  ['E-commerce', 10, 1.0],
  ['Healthcare', 9, 0.9],
  ['Media', 7, 0.9],
  ['Logistics', 8, 0.85],
  ['Manufacturing', 10, 0.8],
  ['Education', 6, 0.7],
];

// biome-ignore format: a word list
export const companyFirstWords = [
  'North', 'Blue', 'Bright', 'Silver', 'Iron', 'Clear', 'Red', 'Green', 'Stone', 'Swift', 'Cloud', 'Peak',
  'River', 'Oak', 'Harbor', 'Summit', 'Atlas', 'Nova', 'Vector', 'Orbit', 'Lumen', 'Cedar', 'Falcon', 'Quartz',
] as const;
// biome-ignore format: a word list
export const companySecondWords = [
  'wind', 'field', 'bridge', 'stack', 'path', 'wave', 'forge', 'line', 'point', 'gate', 'works', 'leaf',
] as const;
export const companySuffixes: Record<string, readonly string[]> = {
  Software: ['Labs', 'Software', 'Cloud', 'Systems'],
  Fintech: ['Pay', 'Capital', 'Finance'],
  'Professional Services': ['Partners', 'Consulting', 'Group'],
  'E-commerce': ['Commerce', 'Shop', 'Retail'],
  Healthcare: ['Health', 'Care', 'Medical'],
  Media: ['Media', 'Studios'],
  Logistics: ['Logistics', 'Freight'],
  Manufacturing: ['Industries', 'Manufacturing'],
  Education: ['Learning', 'Academy'],
};

// biome-ignore format: a word list
export const firstNames = [
  'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sophie', 'Mateo', 'Chloe',
  'Daniel', 'Grace', 'Samuel', 'Hannah', 'Aarav', 'Ananya', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Omar', 'Leila',
  'Felix', 'Clara', 'Jan', 'Lena', 'Pierre', 'Camille', 'Lars', 'Ingrid', 'Carlos', 'Lucia', 'Kwame', 'Amara',
  'Ben', 'Zoe', 'Ryan', 'Nora', 'Arjun', 'Isla', 'Tomás', 'Elena', 'David', 'Sarah', 'Michael', 'Laura',
] as const;
// biome-ignore format: a word list
export const lastNames = [
  'Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore', 'Martin',
  'Lee', 'Clark', 'Lewis', 'Walker', 'Young', 'King', 'Wright', 'Scott', 'Patel', 'Shah', 'Chen', 'Wang',
  'Sato', 'Suzuki', 'Müller', 'Schmidt', 'Fischer', 'Dubois', 'Laurent', 'Jansen', 'de Vries', 'Andersson', 'Nilsson', 'Rossi',
  'Costa', 'Silva', 'Okafor', 'Mensah', "O'Brien", 'Murphy', 'Evans', 'Hughes', 'Khan', 'Ali', 'Novak', 'Kowalski',
] as const;

/** Title and how much it fits the buyer persona (revenue leaders buy; students do not). */
export const titles: readonly (readonly [string, number, number])[] = [
  ['Chief Revenue Officer', 3, 1.3],
  ['VP Marketing', 5, 1.3],
  ['VP Sales', 5, 1.3],
  ['Head of Demand Generation', 6, 1.25],
  ['Director of Revenue Operations', 5, 1.3],
  ['Director of Sales Development', 4, 1.2],
  ['Marketing Operations Manager', 9, 1.1],
  ['Sales Operations Manager', 7, 1.1],
  ['RevOps Lead', 6, 1.15],
  ['Growth Marketing Manager', 8, 1.0],
  ['Content Marketing Manager', 6, 0.85],
  ['Marketing Coordinator', 7, 0.75],
  ['Account Executive', 6, 0.7],
  ['Sales Development Representative', 6, 0.65],
  ['Founder & CEO', 4, 1.1],
  ['Consultant', 4, 0.6],
  ['Student', 2, 0.15],
  ['Intern', 1, 0.2],
];

export const freeMailDomains = ['gmail.example', 'outlook.example', 'yahoo.example', 'proton.example'];
/** Where people with a free-mail address (and so no company) say they are. */
export const freeMailCountries: readonly (readonly [string, number])[] = [
  ['US', 5],
  ['GB', 2],
  ['IN', 2],
  ['DE', 1],
  ['AU', 1],
];

export interface ChannelProfile {
  /** Share of all leads that first arrive through this channel. */
  share: number;
  /** Base probabilities of moving on: new→MQL, MQL accepted (→SAL), SAL→SQL, SQL→opportunity, win. */
  mql: number;
  accept: number;
  sql: number;
  opportunity: number;
  win: number;
  landingPages: readonly string[];
  /** What the first touch was, right after the landing-page view. */
  firstTouch: { type: DemoActivityType; properties: Record<string, unknown> };
}

// Referral, webinar and events convert best; paid social worst; a request from /demo or /pricing
// is hot. MQL acceptance is the leak: SDRs accept fewer than half of marketing's MQLs.
// biome-ignore format: the rates of each channel read best on one line
export const channelProfiles: Record<DemoChannel, ChannelProfile> = {
  paid_search: {
    share: 22, mql: 0.35, accept: 0.46, sql: 0.62, opportunity: 0.72, win: 0.25,
    landingPages: ['/demo', '/pricing', '/lp/lead-handoff', '/lp/sales-marketing-sla'],
    firstTouch: { type: 'form_submit', properties: { form: 'demo_request' } },
  },
  organic_search: {
    share: 18, mql: 0.4, accept: 0.5, sql: 0.65, opportunity: 0.75, win: 0.28,
    landingPages: ['/blog/mql-vs-sql', '/blog/lead-scoring-guide', '/blog/sales-marketing-sla', '/'],
    firstTouch: { type: 'content_download', properties: { asset: 'Lead scoring checklist' } },
  },
  social: {
    share: 16, mql: 0.22, accept: 0.3, sql: 0.5, opportunity: 0.65, win: 0.17,
    landingPages: ['/lp/pipeline-leaders', '/lp/revops-playbook'],
    firstTouch: { type: 'form_submit', properties: { form: 'linkedin_lead_gen' } },
  },
  email: {
    share: 9, mql: 0.36, accept: 0.45, sql: 0.6, opportunity: 0.72, win: 0.25,
    landingPages: ['/newsletter/monthly', '/pricing'],
    firstTouch: { type: 'email_click', properties: { subject: 'The revenue alignment monthly' } },
  },
  webinar: {
    share: 9, mql: 0.55, accept: 0.62, sql: 0.7, opportunity: 0.78, win: 0.32,
    landingPages: ['/webinars/fixing-the-mql-handoff', '/webinars/one-funnel-two-teams'],
    firstTouch: { type: 'webinar', properties: { attended: true } },
  },
  events: {
    share: 7, mql: 0.45, accept: 0.52, sql: 0.65, opportunity: 0.75, win: 0.3,
    landingPages: ['/events'], // each event campaign has its own page
    firstTouch: { type: 'form_submit', properties: { form: 'badge_scan' } },
  },
  referral: {
    share: 5, mql: 0.62, accept: 0.75, sql: 0.8, opportunity: 0.85, win: 0.42,
    landingPages: ['/referral', '/demo'],
    firstTouch: { type: 'form_submit', properties: { form: 'referral' } },
  },
  content: {
    share: 14, mql: 0.3, accept: 0.4, sql: 0.58, opportunity: 0.7, win: 0.23,
    landingPages: ['/reports/state-of-revenue-alignment'],
    firstTouch: { type: 'content_download', properties: { asset: 'State of Revenue Alignment report' } },
  },
};

export const hotLandingPages = new Set(['/demo', '/pricing']);

export interface CampaignSpec {
  key: string;
  name: string;
  /** An events campaign is one event on its start day: its leads arrive within three days. */
  channel: DemoChannel;
  /** Whole US dollars. */
  cost: number;
  /** Days before `now` the campaign started. */
  startsDaysAgo: number;
  /** Where its leads land, when it has a page of its own. */
  landingPage?: string;
}

// biome-ignore format: the campaigns read best as a table
export const campaignSpecs: readonly CampaignSpec[] = [
  { key: 'google-ads', name: 'Google Ads – lead hand-off keywords', channel: 'paid_search', cost: 54_000, startsDaysAgo: 365 },
  { key: 'seo-blog', name: 'SEO – revenue operations blog', channel: 'organic_search', cost: 12_000, startsDaysAgo: 365 },
  { key: 'linkedin-ads', name: 'LinkedIn Ads – pipeline leaders', channel: 'social', cost: 38_000, startsDaysAgo: 330 },
  { key: 'newsletter', name: 'Revenue alignment monthly newsletter', channel: 'email', cost: 4_800, startsDaysAgo: 365 },
  { key: 'webinar-series', name: 'Webinar series – fixing the MQL hand-off', channel: 'webinar', cost: 16_000, startsDaysAgo: 340 },
  { key: 'summit-sf', name: 'RevOps Summit San Francisco – booth', channel: 'events', cost: 45_000, startsDaysAgo: 250, landingPage: '/events/revops-summit-sf' },
  { key: 'pipeline-live-london', name: 'Pipeline Live London – sponsor', channel: 'events', cost: 28_000, startsDaysAgo: 75, landingPage: '/events/pipeline-live-london' },
  { key: 'referral-programme', name: 'Customer referral programme', channel: 'referral', cost: 7_500, startsDaysAgo: 365 },
  { key: 'state-of-alignment', name: 'State of Revenue Alignment report', channel: 'content', cost: 14_000, startsDaysAgo: 220 },
];

// biome-ignore format: a word list
export const browsingPages = [
  '/pricing', '/product/lead-definition', '/product/sla', '/product/shared-funnel', '/customers',
  '/blog/mql-vs-sql', '/blog/closed-loop-feedback', '/integrations/hubspot', '/integrations/salesforce',
] as const;
export const contentAssets = [
  'Lead scoring checklist',
  'SLA template for marketing and sales',
  'State of Revenue Alignment report',
  'The MQL hand-off playbook',
  'Reverse-funnel calculator',
] as const;
export const nurtureSubjects = [
  'Why half of MQLs are never called',
  'A two-way SLA in one page',
  'How one SaaS team fixed its hand-off',
  'Your funnel, one number at a time',
  'Five signs a lead is ready for sales',
  'Closing the feedback loop',
] as const;
