// A record ready to be written, and its CSV form for COPY into the staging table. The staging
// table lives for one import session; set-based SQL (import.store.ts) merges it into the real tables.

export interface StagedStep {
  to: string;
  at: Date;
  /** The user who made this move (Olist's reps); null for a plain CRM import. */
  actorId: string | null;
}

export interface StagedAccount {
  /** Identity within one run: `x:<external id>`, `d:<domain>` or `n:<name>`. */
  key: string;
  externalId: string | null;
  domain: string | null;
  name: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  /** False when the only clue is an e-mail domain: such a row joins an existing account but creates none. */
  canCreate: boolean;
}

/** A deal of an opportunities file; kept as JSON in the staging row (the account columns are shared). */
export interface StagedDeal {
  name: string;
  amount: number | null;
  currency: string;
  product: string | null;
  stage: string;
  outcome: 'open' | 'won' | 'lost';
  /** ISO instants; null when the file does not say. */
  openedAt: string | null;
  closedAt: string | null;
  lostReason: string | null;
  /** A user's e-mail, name or `<source>:<id>` external id; unknown owners become sales users. */
  owner: string | null;
  personExternalId: string | null;
  personEmail: string | null;
  attributes: Record<string, string>;
}

export interface StagedRecord {
  line: number;
  /** The person's id in Lockstep (a file Lockstep exported): found by it first. */
  lockstepId?: string | null;
  externalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  phone: string | null;
  country: string | null;
  source: string | null;
  landingPage: string | null;
  ownerId: string | null;
  createdAt: Date | null;
  /**
   * The history a new person gets; its last step is the stage the file says. Empty: the file says no
   * stage, and a new person starts at the lifecycle's starting stage at `createdAt`.
   */
  steps: StagedStep[];
  /**
   * A stage the file says that no one starts in ("recycled"): a new person starts at the starting
   * stage (reported), a person Lockstep already has moves there if the lifecycle allows. Only with
   * empty `steps`.
   */
  laterStage?: string | null;
  attributes: Record<string, string> | null;
  account: StagedAccount | null;
  /** Set for an opportunities file: `externalId` is then the deal's. */
  deal?: StagedDeal | null;
}

export function accountKey(
  externalId: string | null,
  domain: string | null,
  name: string | null,
): string | null {
  if (externalId) return `x:${externalId}`;
  if (domain) return `d:${domain}`;
  if (name) return `n:${name}`;
  return null;
}

/** Column order of the CSV lines below; `superseded_by` is filled by the database. */
export const stagingColumns = [
  'line',
  'batch',
  'external_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'phone',
  'country',
  'source',
  'landing_page',
  'owner_id',
  'created_at',
  'stage',
  'step_to',
  'step_at',
  'step_actor',
  'attributes',
  'account_key',
  'company_external_id',
  'company_domain',
  'company_name',
  'industry',
  'employees',
  'company_country',
  'account_can_create',
  'new_id',
  'deal',
  'lockstep_id',
] as const;

/** A CSV field for COPY: an empty unquoted field is NULL, so empty strings never reach the database. */
function field(value: string | null): string {
  if (value === null || value === '') return '';
  if (value.includes('"')) return `"${value.replaceAll('"', '""')}"`;
  return value.includes(',') || value.includes('\n') || value.includes('\r') ? `"${value}"` : value;
}

// Stage keys, ISO instants and uuids need no quoting inside a PostgreSQL array literal, but the
// literal has commas: it is always quoted as a CSV field.
function stepColumns(steps: StagedStep[], laterStage: string | null | undefined): string {
  if (steps.length === 0) return laterStage ? `${field(laterStage)},,,` : ',,,';
  let to = '';
  let at = '';
  let actors = '';
  let hasActors = false;
  for (const step of steps) {
    const comma = to === '' ? '' : ',';
    to += comma + step.to;
    at += comma + step.at.toISOString();
    actors += comma + (step.actorId ?? 'NULL');
    if (step.actorId !== null) hasActors = true;
  }
  return `${field(steps[steps.length - 1]!.to)},"{${to}}","{${at}}",${hasActors ? `"{${actors}}"` : ''}`;
}

/**
 * One line of COPY CSV in `stagingColumns` order; `newId` becomes the person's id if the row turns
 * out to be new. Built by concatenation, not an array join: it runs once per row of the file.
 */
export function stagedCsvLine(record: StagedRecord, batch: number, newId: string): string {
  let line = `${record.line},${batch},${field(record.externalId)},${field(record.email)},`;
  line += `${field(record.firstName)},${field(record.lastName)},${field(record.title)},${field(record.phone)},`;
  line += `${field(record.country)},${field(record.source)},${field(record.landingPage)},${field(record.ownerId)},`;
  line += `${record.createdAt === null ? '' : record.createdAt.toISOString()},${stepColumns(record.steps, record.laterStage)},`;
  line += `${record.attributes === null ? '' : field(JSON.stringify(record.attributes))},`;
  const { account } = record;
  const deal = record.deal ? field(JSON.stringify(record.deal)) : '';
  const end = `${newId},${deal},${record.lockstepId ?? ''}\n`;
  if (account === null) return `${line},,,,,,,,${end}`;
  line += `${field(account.key)},${field(account.externalId)},${field(account.domain)},${field(account.name)},`;
  line += `${field(account.industry)},${account.employees === null ? '' : account.employees},`;
  return `${line}${field(account.country)},${account.canCreate ? 't' : 'f'},${end}`;
}

/**
 * Time-ordered ids (UUID version 7, RFC 9562) for the people an import creates: inserted in
 * order, they land at the end of the primary-key index instead of on random pages, which makes
 * a big import markedly faster. Unique across runs: a millisecond timestamp and 26 random bits.
 */
export function orderedIds(): () => string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = crypto.getRandomValues(new Uint32Array(1))[0]!;
  const runPart = `7${(random & 0xfff).toString(16).padStart(3, '0')}-${(0x8000 | ((random >>> 12) & 0x3fff)).toString(16)}`;
  const prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-${runPart}-`;
  let counter = 0;
  return () => prefix + (counter++).toString(16).padStart(12, '0');
}
