// Turning one CSV row into a staged record, or into the reason it cannot be imported.

import { isFreeMailDomain, normaliseDomain } from '../accounts/email-domain.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import type { BackwardsDate } from '../lifecycle/lifecycle.rules.ts';
import { defaultPipeline, type PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import { dateReader } from './import.dates.ts';
import { dealReader, RowRejected } from './import.deal-rows.ts';
import type { Column, ResolvedColumns } from './import.headers.ts';
import type { ImportField, ImportMapping } from './import.mapping.ts';
import { stageWords } from './import.stage-words.ts';
import { pathForNewPerson } from './import.stages.ts';
import { accountKey, type StagedAccount, type StagedRecord } from './import.staging.ts';
import {
  applyValueMap,
  compileValueMap,
  emailDomain,
  looseKey,
  normalizeEmail,
  parseHeadCount,
  splitFullName,
  type ValueMap,
} from './import.values.ts';
import { type VariantTracker, variantTracker } from './import.variants.ts';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type RowOutcome =
  | { record: StagedRecord; warnings: string[] }
  | { rejected: string; warnings?: undefined; record?: undefined };

export type RowMapper = (values: string[], line: number) => RowOutcome;

export function rowMapper(
  mapping: ImportMapping,
  columns: ResolvedColumns,
  lifecycle: LifecycleConfig,
  now: () => Date,
  deals: { pipeline?: PipelineConfig; variants?: VariantTracker } = {},
): RowMapper {
  const valueMaps = new Map<ImportField, ValueMap | undefined>(
    Object.entries(mapping.valueMaps).map(([field, map]) => [field as ImportField, compileValueMap(map)]),
  );
  const readDate = dateReader(mapping.dateFormat, mapping.timeZone);
  const expectedDate = mapping.dateFormat === 'ISO' ? 'an ISO date such as 2024-03-01' : mapping.dateFormat;
  // A stage by its key, its label ("New lead") or the word CRMs use for it ("Customer"), in any
  // case and spacing.
  const stageKeys = new Map([
    ...stageWords(lifecycle.stages.map((stage) => stage.key)),
    ...lifecycle.stages.flatMap((stage) => [
      [looseKey(stage.label), stage.key] as const,
      [looseKey(stage.key), stage.key] as const,
    ]),
  ]);
  const prefix = (id: string) => (mapping.keepIds ? id : `${mapping.source}:${id}`);

  // The row being mapped: the helpers below read it, so that they are made once, not per row.
  let values: string[] = [];
  const cell = (column: Column | undefined): string | null => {
    if (!column) return null;
    const raw = values[column.index] ?? '';
    // PostgreSQL text cannot hold NUL characters; some exports contain them.
    const text = (raw.includes('\0') ? raw.replaceAll('\0', '') : raw).trim();
    if (text === '') return null;
    // An exporter's guard against spreadsheet formulas ('=…, as Lockstep's own exports write): the
    // apostrophe is not part of the value, as in a spreadsheet.
    return text.charCodeAt(0) === 39 && /^'[=+\-@]/.test(text) ? text.slice(1) : text;
  };
  const text = (field: ImportField): string | null => {
    const raw = cell(columns.fields[field]);
    return raw === null ? null : applyValueMap(valueMaps.get(field), raw);
  };
  const date = (column: Column): Date | null => {
    const raw = cell(column);
    if (raw === null) return null;
    const parsed = readDate(raw);
    if (!parsed) throw new RowRejected(`${column.header} "${raw}" is not a date (expected ${expectedDate})`);
    return parsed;
  };

  /** The record's own id in Lockstep (a file Lockstep exported), or null; another value rejects the row. */
  const readLockstepId = (): string | null => {
    const id = text('lockstepId')?.toLowerCase() ?? null;
    if (id === null || UUID.test(id)) return id;
    const record = { people: 'person', accounts: 'account', opportunities: 'deal' }[mapping.entity];
    throw new RowRejected(
      `${columns.fields.lockstepId?.header} "${id}" is not an id Lockstep gave (leave it empty for a new ${record})`,
    );
  };

  /** The row's attribute columns that hold a value, or null when none does. */
  const customFields = (): Record<string, string> | null => {
    let attributes: Record<string, string> | null = null;
    for (const { key, column } of columns.attributes) {
      const value = cell(column);
      if (value === null) continue;
      attributes ??= {};
      attributes[key] = value;
    }
    return attributes;
  };

  /**
   * The row's own dates go back in time: say which two columns. A date without a time of day on the
   * same day as the one before it ("converted on 2 April", created at 11:30 that day) is not.
   */
  const backwardsWarning = ({ stage, after }: BackwardsDate): string | null => {
    const later = columns.stageDates.find((dated) => dated.stage === stage)?.column;
    const earlier =
      after === null ? columns.fields.createdAt : columns.stageDates.find((d) => d.stage === after)?.column;
    const laterText = later && cell(later);
    const earlierText = earlier && cell(earlier);
    if (!later || !earlier || !laterText || !earlierText) return null;
    const laterAt = readDate(laterText);
    const earlierAt = readDate(earlierText);
    const wholeDay = !/\d:\d/.test(laterText);
    if (wholeDay && laterAt && earlierAt && earlierAt.getTime() - laterAt.getTime() < DAY_MS) return null;
    const label = lifecycle.stages.find((candidate) => candidate.key === stage)?.label ?? stage;
    return (
      `${later.header} "${laterText}" is before ${earlier.header} "${earlierText}": the move to ${label} is dated ` +
      `${earlierText} instead, so the history does not go back in time`
    );
  };

  const readDeal = dealReader({
    mapping,
    columns,
    pipeline: deals.pipeline ?? defaultPipeline,
    variants: deals.variants ?? variantTracker([]),
    now,
  });

  return (row, line) => {
    if (row.length !== columns.headerCount) {
      return {
        rejected: `has ${row.length} values but the header has ${columns.headerCount} columns (a quote or comma out of place?)`,
      };
    }
    values = row;
    try {
      const warnings: string[] = [];
      const lockstepId = readLockstepId();
      if (mapping.entity === 'opportunities') {
        const rawId = text('externalId');
        if (rawId === null && lockstepId === null) {
          throw new RowRejected(
            `has no ${columns.fields.externalId?.header ?? 'externalId'}, so a later import could not find this deal again`,
          );
        }
        const account = stagedAccount(text, null, prefix, warnings);
        const deal = readDeal({ text, cell, date }, line, warnings);
        const externalId = rawId === null ? null : prefix(rawId);
        return { record: { ...emptyRecord(line), lockstepId, externalId, account, deal }, warnings };
      }
      const rawEmail = text('email');
      const email = rawEmail === null ? null : normalizeEmail(rawEmail);
      if (email === undefined) throw new RowRejected(`email "${rawEmail}" is not an email address`);
      const account = stagedAccount(text, email, prefix, warnings);
      const createdAtColumn = columns.fields.createdAt;
      const createdAt = createdAtColumn ? date(createdAtColumn) : null;

      if (mapping.entity === 'accounts') {
        if (!account) throw new RowRejected('has no company id, domain or name');
        // The account's own id: its row is that account, whatever its name or domain now say.
        const keyed = lockstepId === null ? account : { ...account, key: `l:${lockstepId}` };
        return {
          record: { ...emptyRecord(line), lockstepId, account: keyed, attributes: customFields() },
          warnings,
        };
      }

      const rawId = text('externalId');
      if (rawId === null && email === null && lockstepId === null) {
        const named = [columns.fields.externalId, columns.fields.email].flatMap((c) => (c ? [c.header] : []));
        throw new RowRejected(
          `has no ${named.join(' and no ')}, so a later import could not find this person again`,
        );
      }
      let firstName = text('firstName');
      let lastName = text('lastName');
      const fullName = text('fullName');
      if (fullName !== null && firstName === null && lastName === null) {
        ({ firstName, lastName } = splitFullName(fullName));
      }

      // A stage date that cannot be read is left out, with a warning, as if its cell were empty:
      // the person still lands.
      const dates: Partial<Record<string, Date>> = {};
      for (const { stage, column } of columns.stageDates) {
        try {
          const at = date(column);
          if (at) dates[stage] = at;
        } catch (error) {
          if (!(error instanceof RowRejected)) throw error;
          warnings.push(`${error.message}: left out, as if the cell were empty`);
        }
      }
      let steps: StagedRecord['steps'] = [];
      let laterStage: string | null = null;
      const rawStage = text('stage');
      if (rawStage !== null) {
        const stage = stageKeys.get(looseKey(rawStage)) ?? mapping.unknownStage;
        if (!stage) {
          throw new RowRejected(
            `${columns.fields.stage?.header ?? 'stage'} "${rawStage}" is not a Lockstep stage; map it in valueMaps.stage ` +
              `(stages: ${lifecycle.stages.map((s) => s.key).join(', ')}), or set unknownStage`,
          );
        }
        const outcome = pathForNewPerson(lifecycle, stage, dates, { createdAt, now: now() });
        // Told once the batch knows whether the person is new (import.run.ts).
        if ('refused' in outcome) laterStage = stage;
        else {
          steps = outcome.steps;
          for (const backwards of outcome.backwards) {
            const warning = backwardsWarning(backwards);
            if (warning) warnings.push(warning);
          }
        }
      }

      return {
        record: {
          line,
          lockstepId,
          externalId: rawId === null ? null : prefix(rawId),
          email,
          firstName,
          lastName,
          title: text('title'),
          phone: text('phone'),
          country: text('country'),
          source: text('source'),
          landingPage: text('landingPage'),
          ownerId: null,
          createdAt,
          steps,
          laterStage,
          attributes: customFields(),
          account,
        },
        warnings,
      };
    } catch (error) {
      if (error instanceof RowRejected) return { rejected: error.message };
      throw error;
    }
  };

  /**
   * The row's company. A website or a head count that cannot be read is left out with a warning:
   * the person, deal or account still lands (a CRM's "n/a" should not cost a lead).
   */
  function stagedAccount(
    text: (field: ImportField) => string | null,
    email: string | null,
    prefix: (id: string) => string,
    warnings: string[],
  ): StagedAccount | null {
    // "Associated Company IDs" can list several; the first is the primary company.
    const rawId = text('companyExternalId')?.split(/[;,]/)[0]?.trim() || null;
    const rawDomain = text('companyDomain');
    const companyDomain = rawDomain === null ? null : (normaliseDomain(rawDomain) ?? null);
    if (rawDomain !== null && companyDomain === null) {
      warnings.push(`${columns.fields.companyDomain?.header} "${rawDomain}" is not a domain: left out`);
    }
    const mailDomain = email === null ? null : emailDomain(email);
    const domain = companyDomain ?? (mailDomain && !isFreeMailDomain(mailDomain) ? mailDomain : null);
    const name = text('companyName');
    const externalId = rawId === null ? null : prefix(rawId);
    const key = accountKey(externalId, domain, name);
    if (key === null) return null;
    const rawEmployees = text('employees');
    const employees = rawEmployees === null ? null : (parseHeadCount(rawEmployees) ?? null);
    if (rawEmployees !== null && employees === null) {
      warnings.push(
        `${columns.fields.employees?.header} "${rawEmployees}" is not a number of employees: left out`,
      );
    }
    return {
      key,
      externalId,
      domain,
      name,
      industry: text('industry'),
      employees,
      country: mapping.entity === 'accounts' ? text('country') : null,
      canCreate: externalId !== null || companyDomain !== null || name !== null,
    };
  }
}

function emptyRecord(line: number): StagedRecord {
  return {
    line,
    externalId: null,
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
  };
}
