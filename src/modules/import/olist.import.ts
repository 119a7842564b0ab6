// The Olist marketing funnel (a real, public B2B data set): every MQL becomes a person, every
// closed deal takes its lead to won, qualified by the SDR and closed by the SR.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/client.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { defaultLifecycle, type LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import { defaultPipeline, type PipelineConfig, wonStage } from '../opportunities/opportunities.pipeline.ts';
import { readCsvHeader, readCsvRecords } from './import.csv-reader.ts';
import { dateReader } from './import.dates.ts';
import { type Column, findColumn } from './import.headers.ts';
import type { ImportReport, ProblemLog, ProgressListener } from './import.report.ts';
import { type ImportSource, runImport } from './import.run.ts';
import { pathForNewPerson } from './import.stages.ts';
import type { StagedRecord, StagedStep } from './import.staging.ts';

export const OLIST_MQL_FILE = 'olist_marketing_qualified_leads_dataset.csv';
export const OLIST_DEALS_FILE = 'olist_closed_deals_dataset.csv';
// Olist is a Brazilian marketplace: its dates are São Paulo wall-clock times.
const OLIST_TIME_ZONE = 'America/Sao_Paulo';
const DEAL_ATTRIBUTES = [
  'seller_id',
  'business_segment',
  'lead_type',
  'lead_behaviour_profile',
  'has_company',
  'has_gtin',
  'average_stock',
  'business_type',
  'declared_product_catalog_size',
  'declared_monthly_revenue',
];
// Who made each move on the way to won: the SDR qualifies, the SR closes.
const QUALIFYING_STAGES = new Set(['sal', 'sql']);
const CLOSING_STAGES = new Set(['opportunity', 'won']);

export interface OlistImportOptions {
  onProgress?: ProgressListener;
  clock?: Clock;
  lifecycle?: LifecycleConfig;
  pipeline?: PipelineConfig;
}

interface Deal {
  line: number;
  mqlId: string;
  sdrId: string;
  srId: string;
  wonAt: Date;
  attributes: Record<string, string>;
  used: boolean;
  /** The lead's first contact, once the MQL file has been read: the deal was opened then. */
  firstContact?: Date;
}

export async function importOlist(
  database: Database,
  dir: string,
  options: OlistImportOptions = {},
): Promise<ImportReport> {
  const { mqlFile, dealsFile } = checkOlistDir(dir);
  const clock = options.clock ?? systemClock;
  const lifecycle = options.lifecycle ?? defaultLifecycle;
  const readDate = dateReader('DD-MM-YYYY HH:mm', OLIST_TIME_ZONE);
  const mqlColumns = await requireColumns(mqlFile, [
    'mql_id',
    'first_contact_date',
    'landing_page_id',
    'origin',
  ]);
  const dealColumns = await requireColumns(dealsFile, [
    'mql_id',
    'sdr_id',
    'sr_id',
    'won_date',
    ...DEAL_ATTRIBUTES,
  ]);

  // Filled while the people are read, then imported again as won opportunities.
  let dealsRead = new Map<string, Deal>();
  const source: ImportSource = {
    kind: 'olist',
    fileName: `${OLIST_MQL_FILE} + ${OLIST_DEALS_FILE}`,
    entity: 'people',
    files: [OLIST_MQL_FILE, OLIST_DEALS_FILE],
    rule: 'import:olist',
    reason: `imported from the Olist marketing funnel (${OLIST_MQL_FILE}, ${OLIST_DEALS_FILE})`,
    async *records(log, reading) {
      reading.totalBytes = fs.statSync(mqlFile).size + fs.statSync(dealsFile).size;
      // The deals file is small (one row per won customer); the MQL file is streamed past it.
      const deals = await readDeals(dealsFile, dealColumns, readDate, log);
      dealsRead = deals;
      reading.bytesRead = fs.statSync(dealsFile).size;
      const reps = await upsertReps(database, deals.values());
      const cell = (values: string[], column: string) => values[mqlColumns.get(column)!.index]?.trim() ?? '';
      const records = readCsvRecords(
        mqlFile,
        (problem) =>
          problem.severity === 'warning'
            ? log.warn(problem.line, problem.reason, OLIST_MQL_FILE)
            : log.reject(problem.line, problem.reason, OLIST_MQL_FILE),
        (bytes) => {
          reading.bytesRead = fs.statSync(dealsFile).size + bytes;
        },
      );
      const toPerson = (values: string[], line: number): StagedRecord | undefined => {
        const mqlId = cell(values, 'mql_id');
        const firstContactText = cell(values, 'first_contact_date');
        const firstContact = readDate(firstContactText);
        if (!mqlId) return void log.reject(line, 'mql_id is empty', OLIST_MQL_FILE);
        if (!firstContact) {
          const reason = `first_contact_date "${firstContactText}" is not a date (expected DD-MM-YYYY)`;
          return void log.reject(line, reason, OLIST_MQL_FILE);
        }
        const deal = deals.get(mqlId);
        let steps: StagedStep[] = [{ to: 'mql', at: firstContact, actorId: null }];
        if (deal) {
          deal.used = true;
          deal.firstContact = firstContact;
          if (deal.wonAt < firstContact) {
            const reason =
              `won_date ${deal.wonAt.toISOString().slice(0, 10)} is before the lead's first contact ` +
              `${firstContact.toISOString().slice(0, 10)} (${OLIST_MQL_FILE} line ${line}); ` +
              'its steps are dated at the first contact, so the history does not go back in time';
            log.warn(deal.line, reason, OLIST_DEALS_FILE);
          }
          const dates = { mql: firstContact, won: deal.wonAt };
          const outcome = pathForNewPerson(lifecycle, 'won', dates, {
            createdAt: firstContact,
            now: clock.now(),
          });
          if ('refused' in outcome)
            log.warn(deal.line, `deal not recorded: ${outcome.refused}`, OLIST_DEALS_FILE);
          else steps = withActors(outcome.steps, reps.get(`sdr:${deal.sdrId}`), reps.get(`sr:${deal.srId}`));
        }
        return {
          line,
          externalId: `olist:${mqlId}`,
          email: null,
          firstName: null,
          lastName: null,
          title: null,
          phone: null,
          country: null,
          source: cell(values, 'origin') || null,
          landingPage: cell(values, 'landing_page_id') || null,
          ownerId: deal ? (reps.get(`sr:${deal.srId}`) ?? null) : null,
          createdAt: firstContact,
          steps,
          attributes: deal ? deal.attributes : null,
          account: null,
        };
      };
      let header = true;
      for await (const batch of records) {
        const people: StagedRecord[] = [];
        for (const { values, line } of batch) {
          if (header) {
            header = false;
            continue;
          }
          reading.rowsRead++;
          const person = toPerson(values, line);
          if (person) people.push(person);
        }
        yield people;
      }
      for (const deal of deals.values()) {
        if (!deal.used) {
          log.reject(deal.line, `mql_id "${deal.mqlId}" is not in ${OLIST_MQL_FILE}`, OLIST_DEALS_FILE);
        }
      }
    },
  };
  const people = await runImport(database, source, { lifecycle, clock, onProgress: options.onProgress });
  const pipeline = options.pipeline ?? defaultPipeline;
  const opportunities = await runImport(database, wonDealsSource(dealsRead, wonStage(pipeline)), {
    lifecycle,
    pipeline,
    clock,
  });
  const { created, updated, unchanged, warnings } = opportunities;
  return { ...people, opportunities: { created, updated, unchanged, warnings } };
}

/**
 * Each closed deal is also a won opportunity: amount = declared monthly revenue when above zero
 * (Brazilian reais), product = business segment, owner = the SR, opened at the lead's first contact.
 */
function wonDealsSource(deals: Map<string, Deal>, won: string): ImportSource {
  return {
    kind: 'olist:opportunities',
    fileName: OLIST_DEALS_FILE,
    entity: 'opportunities',
    crm: 'olist',
    files: [OLIST_DEALS_FILE],
    rule: 'import:olist',
    reason: `imported from the Olist marketing funnel (${OLIST_DEALS_FILE})`,
    async *records(_log, reading) {
      const records: StagedRecord[] = [];
      for (const deal of deals.values()) {
        if (!deal.used || !deal.firstContact) continue;
        reading.rowsRead++;
        const revenue = Number.parseFloat(deal.attributes.declared_monthly_revenue ?? '');
        const segment = deal.attributes.business_segment ?? null;
        records.push({
          line: deal.line,
          externalId: `olist:deal:${deal.mqlId}`,
          email: null,
          firstName: null,
          lastName: null,
          title: null,
          phone: null,
          country: null,
          source: null,
          landingPage: null,
          ownerId: null,
          createdAt: null,
          steps: [],
          attributes: null,
          account: null,
          deal: {
            name: `${segment ?? 'seller'} ${deal.mqlId.slice(0, 8)}`,
            amount: revenue > 0 ? revenue : null,
            currency: 'BRL',
            product: segment,
            stage: won,
            outcome: 'won',
            openedAt: deal.firstContact.toISOString(),
            closedAt: deal.wonAt.toISOString(),
            lostReason: null,
            owner: `sr:${deal.srId}`,
            personExternalId: `olist:${deal.mqlId}`,
            personEmail: null,
            attributes: {},
          },
        });
      }
      yield records;
    },
  };
}

/** The two files, or a validation_failed error naming the one that is missing. */
export function checkOlistDir(dir: string): { mqlFile: string; dealsFile: string } {
  const mqlFile = path.join(dir, OLIST_MQL_FILE);
  const dealsFile = path.join(dir, OLIST_DEALS_FILE);
  for (const file of [mqlFile, dealsFile]) {
    if (!fs.existsSync(file)) {
      throw new AppError(
        'validation_failed',
        `${dir} has no ${path.basename(file)}; the Olist import needs both ${OLIST_MQL_FILE} and ${OLIST_DEALS_FILE}.`,
        { file },
      );
    }
  }
  return { mqlFile, dealsFile };
}

async function requireColumns(file: string, wanted: string[]): Promise<Map<string, Column>> {
  const headers = await readCsvHeader(file);
  const columns = new Map<string, Column>();
  const missing = wanted.filter((name) => {
    const column = findColumn(headers, name);
    if (column) columns.set(name, column);
    return !column;
  });
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `${path.basename(file)} lacks the columns ${missing.join(', ')}. Its headers are: ${headers.join(', ')}`,
      { missing, headers },
    );
  }
  return columns;
}

async function readDeals(
  file: string,
  columns: Map<string, Column>,
  readDate: (text: string) => Date | undefined,
  log: ProblemLog,
): Promise<Map<string, Deal>> {
  const deals = new Map<string, Deal>();
  let header = true;
  const records = readCsvRecords(file, (problem) =>
    problem.severity === 'warning'
      ? log.warn(problem.line, problem.reason, OLIST_DEALS_FILE)
      : log.reject(problem.line, problem.reason, OLIST_DEALS_FILE),
  );
  for await (const batch of records) {
    for (const { values, line } of batch) {
      if (header) {
        header = false;
        continue;
      }
      const cell = (column: string) => values[columns.get(column)!.index]?.trim() ?? '';
      const wonText = cell('won_date');
      const wonAt = readDate(wonText);
      const mqlId = cell('mql_id');
      if (!mqlId || !cell('sdr_id') || !cell('sr_id')) {
        log.reject(line, 'mql_id, sdr_id and sr_id must all be filled in', OLIST_DEALS_FILE);
        continue;
      }
      if (!wonAt) {
        log.reject(line, `won_date "${wonText}" is not a date (expected DD-MM-YYYY HH:mm)`, OLIST_DEALS_FILE);
        continue;
      }
      const earlier = deals.get(mqlId);
      if (earlier) {
        log.warn(
          earlier.line,
          `skipped: line ${line} closes the same lead "${mqlId}" and comes later, so line ${line} is imported instead`,
          OLIST_DEALS_FILE,
        );
      }
      // Spreadsheet-mangled values (average_stock "May-20") and empty flags stay as they are: text or absent.
      const attributes: Record<string, string> = {};
      for (const name of DEAL_ATTRIBUTES) {
        const value = cell(name);
        if (value) attributes[name] = value;
      }
      deals.set(mqlId, {
        line,
        mqlId,
        sdrId: cell('sdr_id'),
        srId: cell('sr_id'),
        wonAt,
        attributes,
        used: false,
      });
    }
  }
  return deals;
}

/** Olist's reps become sales users with no way to sign in; returns `sdr:<id>`/`sr:<id>` → user id. */
async function upsertReps(database: Database, deals: Iterable<Deal>): Promise<Map<string, string>> {
  const reps = new Map<string, { externalId: string; name: string }>();
  for (const deal of deals) {
    reps.set(`sdr:${deal.sdrId}`, {
      externalId: `olist:sdr:${deal.sdrId}`,
      name: `SDR ${deal.sdrId.slice(0, 8)}`,
    });
    reps.set(`sr:${deal.srId}`, { externalId: `olist:sr:${deal.srId}`, name: `SR ${deal.srId.slice(0, 8)}` });
  }
  const ids = new Map<string, string>();
  if (reps.size === 0) return ids;
  const externalIds = [...reps.values()].map((rep) => rep.externalId);
  const names = [...reps.values()].map((rep) => rep.name);
  const rows = await database.withSession(async (session) => {
    await session.query(
      `INSERT INTO users (external_id, name, team, role)
       SELECT external_id, name, 'sales', 'sales' FROM unnest($1::text[], $2::text[]) AS r(external_id, name)
       ON CONFLICT (external_id) DO NOTHING`,
      [externalIds, names],
    );
    return session.query<{ id: string; external_id: string }>(
      'SELECT id, external_id FROM users WHERE external_id = ANY($1::text[])',
      [externalIds],
    );
  });
  for (const row of rows) ids.set(row.external_id.slice('olist:'.length), row.id);
  return ids;
}

function withActors(steps: StagedStep[], sdr: string | undefined, sr: string | undefined): StagedStep[] {
  return steps.map((step) => ({
    ...step,
    actorId: (QUALIFYING_STAGES.has(step.to) ? sdr : CLOSING_STAGES.has(step.to) ? sr : undefined) ?? null,
  }));
}
