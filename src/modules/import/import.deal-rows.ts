// Turning one CSV row of a deals export into a staged deal (the account is staged as for people).
import type { PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import type { Column, ResolvedColumns } from './import.headers.ts';
import type { ImportField, ImportMapping } from './import.mapping.ts';
import type { StagedDeal } from './import.staging.ts';
import { looseKey, normalizeEmail, parseAmount, parseBoolean } from './import.values.ts';
import type { VariantTracker } from './import.variants.ts';

/** Thrown inside a row's mapping; becomes that row's rejection reason. */
export class RowRejected extends Error {}

/** Fields checked for variants of one value when the mapping does not say (`checkVariants`). */
export const dealVariantFields: ImportField[] = ['product', 'owner', 'lostReason', 'companyName', 'currency'];

export interface DealRowContext {
  mapping: ImportMapping;
  columns: ResolvedColumns;
  pipeline: PipelineConfig;
  variants: VariantTracker;
  text(field: ImportField): string | null;
  cell(column: Column): string | null;
  date(column: Column): Date | null;
  now(): Date;
}

export function dealReader(
  context: Omit<DealRowContext, 'text' | 'cell' | 'date'>,
): (row: Pick<DealRowContext, 'text' | 'cell' | 'date'>, line: number, warnings: string[]) => StagedDeal {
  const { mapping, columns, pipeline, variants } = context;
  const stageKeys = new Map<string, string>();
  for (const stage of pipeline.stages) {
    stageKeys.set(looseKey(stage.label), stage.key);
    stageKeys.set(looseKey(stage.key), stage.key);
  }
  const outcomeOf = new Map(pipeline.stages.map((stage) => [stage.key, stage.outcome]));
  const wonKey = pipeline.stages.find((stage) => stage.outcome === 'won')!.key;
  const lostKey = pipeline.stages.find((stage) => stage.outcome === 'lost')!.key;
  const header = (field: ImportField) => columns.fields[field]?.header ?? field;
  const expectedAmount = `an amount such as ${mapping.numberFormat}`;

  return ({ text, cell, date }, line, warnings) => {
    // Recorded only once the row is accepted, so that the counts are of rows that land.
    const seen: [ImportField, string | null][] = [];
    const tracked = (field: ImportField) => {
      const value = text(field);
      seen.push([field, value]);
      return value;
    };
    const flag = (field: 'isClosed' | 'isWon') => {
      const raw = text(field);
      if (raw === null) return undefined;
      const value = parseBoolean(raw);
      if (value === undefined) throw new RowRejected(`${header(field)} "${raw}" is not true or false`);
      return value;
    };

    const rawStage = text('stage');
    let stage = rawStage === null ? undefined : stageKeys.get(looseKey(rawStage));
    // IsClosed / IsWon (Salesforce; Pipedrive's status) settle a closed deal, whatever its stage says:
    // Pipedrive leaves a won deal in the stage it was won from.
    const closed = flag('isClosed');
    const won = flag('isWon');
    if ((closed === true || won === true) && (stage === undefined || outcomeOf.get(stage) === 'open')) {
      stage = won ? wonKey : lostKey;
    }
    if (stage === undefined && rawStage !== null && mapping.unknownStage !== undefined) {
      stage = mapping.unknownStage;
    }
    if (stage === undefined) {
      if (rawStage === null) throw new RowRejected(`has no ${header('stage')}`);
      throw new RowRejected(
        `${header('stage')} "${rawStage}" is not a deal stage; map it in valueMaps.stage ` +
          `(stages: ${pipeline.stages.map((s) => s.key).join(', ')}), or set unknownStage`,
      );
    }
    const outcome = outcomeOf.get(stage)!;

    const rawAmount = text('amount');
    const parsed = rawAmount === null ? null : parseAmount(rawAmount, mapping.numberFormat);
    if (parsed === undefined) {
      throw new RowRejected(
        `${header('amount')} "${rawAmount}" is not an amount (expected ${expectedAmount})`,
      );
    }
    const rawCurrency = tracked('currency');
    const currency =
      rawCurrency === null ? (parsed?.currency ?? mapping.defaultCurrency) : rawCurrency.toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new RowRejected(`${header('currency')} "${rawCurrency}" is not a currency code such as USD`);
    }

    const openedColumn = columns.fields.openedAt;
    const closedColumn = columns.fields.closedAt;
    const openedAt = openedColumn ? date(openedColumn) : null;
    const closeDate = closedColumn ? date(closedColumn) : null;
    let closedAt: Date | null = null;
    if (outcome !== 'open') {
      closedAt = closeDate ?? openedAt ?? context.now();
      if (closeDate === null) {
        const missing = closedColumn ? closedColumn.header : 'a close date';
        warnings.push(
          `a closed deal without ${missing}: closed ${openedAt ? 'at its open date' : 'when imported'}`,
        );
      }
      if (openedAt && closedAt < openedAt) {
        warnings.push(`closes (${closedAt.toISOString().slice(0, 10)}) before it opens; kept as given`);
      }
    }

    const rawEmail = text('personEmail');
    const personEmail = rawEmail === null ? null : (normalizeEmail(rawEmail) ?? null);
    if (rawEmail !== null && personEmail === null) {
      warnings.push(`${header('personEmail')} "${rawEmail}" is not an email address; the deal has no person`);
    }
    const personId = text('personExternalId')?.split(/[;,]/)[0]?.trim() || null;

    const attributes: Record<string, string> = {};
    // A CRM's close date on an open deal is when the rep expects to close it.
    if (outcome === 'open' && closeDate) attributes.expectedCloseDate = closeDate.toISOString();
    for (const { key, column } of columns.attributes) {
      const value = cell(column);
      if (value !== null) attributes[key] = value;
    }
    const deal: StagedDeal = {
      name: text('name') ?? `${mapping.source} deal ${text('externalId')}`,
      amount: parsed?.amount ?? null,
      currency,
      product: tracked('product'),
      stage,
      outcome,
      openedAt: openedAt?.toISOString() ?? null,
      closedAt: closedAt?.toISOString() ?? null,
      lostReason: outcome === 'lost' ? tracked('lostReason') : null,
      owner: tracked('owner'),
      personExternalId:
        personId === null ? null : mapping.keepIds ? personId : `${mapping.source}:${personId}`,
      personEmail,
      attributes,
    };
    for (const [field, value] of seen) variants.record(field, value, line);
    return deal;
  };
}
