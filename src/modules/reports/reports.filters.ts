// The filters every report takes, validated once, with named periods resolved against the clock.
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { timestamp } from '../../shared/schema.ts';

/** Calendar periods in UTC; `all` (the default) is no time limit. */
export const namedPeriods = [
  'all',
  'this-month',
  'last-month',
  'this-quarter',
  'last-quarter',
  'this-year',
  'last-year',
  'last-30-days',
  'last-90-days',
  'last-12-months',
] as const;
export type NamedPeriod = (typeof namedPeriods)[number];

export const teamsFilter = ['marketing', 'sales'] as const;

/**
 * The filters shared by every report. What they select:
 * - period (`period` or `from`/`to`): lead reports take leads that entered (people.created_at) in it;
 *   `pipeline` takes deals opened in it; `attribution` takes deals won (closed) in it.
 * - segment: the account's `industry`, or, for people without one, the person's
 *   `attributes.business_segment` (what the Olist import and most CRM exports carry).
 * - source: people.source (for deals: the source of the deal's primary person).
 * - campaign: the campaign that brought the lead in (people.campaign_id; for deals: its person's).
 * - team / rep: the owner's team and the owner (people.owner_id; for deals: opportunities.owner_id).
 */
export const filterShape = {
  period: z
    .enum(namedPeriods, { error: `must be one of ${namedPeriods.join(', ')}` })
    .optional()
    .describe('A named period (UTC calendar); use it or from/to'),
  from: timestamp.optional().describe('Start of the period (inclusive), ISO 8601'),
  to: timestamp.optional().describe('End of the period (exclusive), ISO 8601'),
  segment: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Account industry, else the person's business_segment"),
  source: z.string().min(1).max(200).optional().describe('Lead source, e.g. organic_search'),
  campaign: z.uuid({ error: 'must be a campaign id (uuid)' }).optional().describe('Campaign id'),
  team: z
    .enum(teamsFilter, { error: `must be one of ${teamsFilter.join(', ')}` })
    .optional()
    .describe("Owner's team"),
  rep: z.uuid({ error: 'must be a user id (uuid)' }).optional().describe('Owner (user id)'),
};
export const filterNames = Object.keys(filterShape);

export interface ReportFilters {
  from: Date | null;
  to: Date | null;
  segment: string | null;
  source: string | null;
  campaign: string | null;
  team: string | null;
  rep: string | null;
}

/** The JSON form of resolved filters, as reports echo them and as cells carry them. */
export const resolvedFiltersSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  segment: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  team: z.string().nullable(),
  rep: z.string().nullable(),
});
export type ResolvedFiltersJson = z.infer<typeof resolvedFiltersSchema>;

const startOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 1));

export function periodRange(period: NamedPeriod, now: Date): { from: Date | null; to: Date | null } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const q = m - (m % 3);
  const day = 86_400_000;
  const today = Date.UTC(y, m, now.getUTCDate());
  switch (period) {
    case 'all':
      return { from: null, to: null };
    case 'this-month':
      return { from: startOfMonth(y, m), to: startOfMonth(y, m + 1) };
    case 'last-month':
      return { from: startOfMonth(y, m - 1), to: startOfMonth(y, m) };
    case 'this-quarter':
      return { from: startOfMonth(y, q), to: startOfMonth(y, q + 3) };
    case 'last-quarter':
      return { from: startOfMonth(y, q - 3), to: startOfMonth(y, q) };
    case 'this-year':
      return { from: startOfMonth(y, 0), to: startOfMonth(y + 1, 0) };
    case 'last-year':
      return { from: startOfMonth(y - 1, 0), to: startOfMonth(y, 0) };
    case 'last-30-days':
      return { from: new Date(today - 29 * day), to: new Date(today + day) };
    case 'last-90-days':
      return { from: new Date(today - 89 * day), to: new Date(today + day) };
    case 'last-12-months':
      return { from: startOfMonth(y, m - 11), to: startOfMonth(y, m + 1) };
  }
}

export function resolveFilters(
  input: {
    period?: NamedPeriod | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    segment?: string | undefined;
    source?: string | undefined;
    campaign?: string | undefined;
    team?: string | undefined;
    rep?: string | undefined;
  },
  clock: Clock,
): ReportFilters {
  if (input.period && (input.from || input.to)) {
    throw new AppError('validation_failed', 'Give either `period` or `from`/`to`, not both.', {
      period: input.period,
      allowed: namedPeriods,
    });
  }
  const range = input.period
    ? periodRange(input.period, clock.now())
    : { from: input.from ?? null, to: input.to ?? null };
  if (range.from && range.to && range.from >= range.to) {
    throw new AppError('validation_failed', '`from` must be before `to`.', {
      from: range.from,
      to: range.to,
    });
  }
  return {
    ...range,
    segment: input.segment ?? null,
    source: input.source ?? null,
    campaign: input.campaign ?? null,
    team: input.team ?? null,
    rep: input.rep ?? null,
  };
}

export function filtersToJson(filters: ReportFilters): ResolvedFiltersJson {
  return {
    ...filters,
    from: filters.from?.toISOString() ?? null,
    to: filters.to?.toISOString() ?? null,
  };
}

export function filtersFromJson(json: ResolvedFiltersJson): ReportFilters {
  return {
    ...json,
    from: json.from ? new Date(json.from) : null,
    to: json.to ? new Date(json.to) : null,
  };
}
