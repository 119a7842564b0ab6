// Drill-down: the leads or deals behind one number of a report, listed with the same SQL that counted them.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { spreadsheetLine } from '../../shared/csv.ts';
import { attributionCtes } from './attribution.query.ts';
import type { ReportContext } from './reports.dimensions.ts';
import { at, dealFactsCte, leadFactsCtes } from './reports.facts.ts';
import { filtersFromJson } from './reports.filters.ts';
import { dealWhere, leadWhere } from './reports.predicates.ts';
import type { CellSpec, RecordsResponse } from './reports.schema.ts';

type Value = string | number | null;

const toValue = (value: unknown): Value =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'number' || typeof value === 'string'
        ? value
        : String(value);

export async function listRecords(
  ctx: Omit<ReportContext, 'filters'>,
  spec: CellSpec,
  limit: number,
): Promise<RecordsResponse> {
  const filters = filtersFromJson(spec.f);
  let rows: Record<string, unknown>[];
  let columns: string[];
  if (spec.kind === 'leads') {
    const stageTimes = sql.join(
      ctx.stages.map((stage, i) => sql`${at(i)} AS ${sql.raw(`"${stage.key}_at"`)}`),
      sql`, `,
    );
    columns = [
      'id',
      'first_name',
      'last_name',
      'email',
      'stage',
      'source',
      'campaign',
      'landing_page',
      'owner',
      'team',
      'segment',
      'month',
      ...ctx.stages.map((stage) => `${stage.key}_at`),
    ];
    rows = await queryRows(
      ctx.db,
      sql`WITH ${leadFactsCtes(filters, ctx.stages)}
        SELECT id, first_name, last_name, email, stage, source, campaign_name AS campaign, landing_page,
               owner_name AS owner, team, segment, month, ${stageTimes}, count(*) OVER ()::int AS total_count
        FROM lead_facts WHERE ${leadWhere(spec)}
        ORDER BY created_at, id LIMIT ${limit}`,
    );
  } else {
    columns = [
      'id',
      'name',
      'account',
      'owner',
      'team',
      'product',
      'sector',
      'source',
      'campaign',
      'stage',
      'outcome',
      'amount',
      'currency',
      'opened_at',
      'closed_at',
    ];
    const ctes = spec.credit
      ? attributionCtes({ ...ctx, filters }, filters)
      : dealFactsCte(filters, ctx.outcomes, spec.periodOn);
    const credited = spec.credit
      ? sql`id IN (SELECT deal_id FROM credits WHERE ${sql.raw(spec.credit.model)} > 0
                   AND ${sql.raw(spec.credit.by)} IS NOT DISTINCT FROM ${spec.credit.value}::text)`
      : sql`TRUE`;
    rows = await queryRows(
      ctx.db,
      sql`WITH ${ctes}
        SELECT id, name, account_name AS account, owner_name AS owner, team, product, segment AS sector, source,
               campaign_name AS campaign, stage, outcome, amount::float8 AS amount, currency, opened_at, closed_at,
               count(*) OVER ()::int AS total_count
        FROM deal_facts WHERE ${dealWhere(spec)} AND ${credited}
        ORDER BY opened_at, id LIMIT ${limit}`,
    );
  }
  let total = Number(rows[0]?.total_count ?? 0);
  if (rows.length === 0 && limit > 0) total = 0;
  return {
    kind: spec.kind,
    total,
    columns,
    records: rows.map((row) => Object.fromEntries(columns.map((c) => [c, toValue(row[c])]))),
  };
}

export function recordsCsv(records: RecordsResponse): string {
  let csv = spreadsheetLine(records.columns);
  for (const record of records.records) csv += spreadsheetLine(records.columns.map((c) => record[c] ?? null));
  return csv;
}
