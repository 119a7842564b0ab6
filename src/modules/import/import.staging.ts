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

export interface StagedRecord {
  line: number;
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
  /** The history a new person gets; its last step is the stage the file says. Empty: no stage. */
  steps: StagedStep[];
  attributes: Record<string, string> | null;
  account: StagedAccount | null;
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
] as const;

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV field for COPY: an empty unquoted field is NULL, so empty strings never reach the database. */
function field(value: string | null): string {
  if (value === null || value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// Stage keys, ISO instants and uuids need no quoting inside a PostgreSQL array literal.
function arrayLiteral(values: (string | null)[]): string {
  return `{${values.map((value) => value ?? 'NULL').join(',')}}`;
}

/** `newId` becomes the person's id if the row turns out to be new. */
export function stagedCsvLine(record: StagedRecord, batch: number, newId: string): string {
  const { steps, account } = record;
  const hasSteps = steps.length > 0;
  const hasActors = steps.some((step) => step.actorId !== null);
  return `${[
    String(record.line),
    String(batch),
    field(record.externalId),
    field(record.email),
    field(record.firstName),
    field(record.lastName),
    field(record.title),
    field(record.phone),
    field(record.country),
    field(record.source),
    field(record.landingPage),
    field(record.ownerId),
    field(record.createdAt?.toISOString() ?? null),
    field(hasSteps ? steps[steps.length - 1]!.to : null),
    field(hasSteps ? arrayLiteral(steps.map((step) => step.to)) : null),
    field(hasSteps ? arrayLiteral(steps.map((step) => step.at.toISOString())) : null),
    field(hasActors ? arrayLiteral(steps.map((step) => step.actorId)) : null),
    field(record.attributes ? JSON.stringify(record.attributes) : null),
    field(account?.key ?? null),
    field(account?.externalId ?? null),
    field(account?.domain ?? null),
    field(account?.name ?? null),
    field(account?.industry ?? null),
    field(account?.employees == null ? null : String(account.employees)),
    field(account?.country ?? null),
    account ? (account.canCreate ? 't' : 'f') : '',
    newId,
  ].join(',')}\n`;
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
