import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { funnelReport } from '../../../src/modules/reports/funnel.schema.ts';
import type { recordsResponse, tableReport } from '../../../src/modules/reports/reports.schema.ts';
import { recountingRefetch } from '../components/RecountingNotice.tsx';
import { apiGet } from './client.ts';

export type TableReport = z.input<typeof tableReport>;
export type TableReportName = Exclude<TableReport['report'], 'funnel'>;
export type ReportColumn = TableReport['columns'][number];
export type ReportRow = TableReport['rows'][number];
export type RecordsResponse = z.input<typeof recordsResponse>;
type FunnelReport = z.input<typeof funnelReport>;

/** The shared filters of every report, as the API names them (empty = not filtered). */
export interface AnalyticsFilters {
  period: string;
  segment: string;
  source: string;
  team: string;
}

export function useTableReport(
  name: TableReportName,
  filters: AnalyticsFilters,
  options: Record<string, string>,
) {
  return useQuery({
    queryKey: ['reports', name, filters, options],
    queryFn: () => apiGet<TableReport>(`/api/reports/${name}`, { ...filters, ...options }),
    placeholderData: keepPreviousData,
    refetchInterval: recountingRefetch,
  });
}

export function useFunnelTotals(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['reports', 'funnel', 'analytics', filters],
    queryFn: () => apiGet<FunnelReport>('/api/reports/funnel', { ...filters }),
    placeholderData: keepPreviousData,
    refetchInterval: recountingRefetch,
  });
}

/** The records behind one number; `cell` comes with the number in the report. */
export function useRecords(report: string, cell: string | undefined) {
  return useQuery({
    queryKey: ['reports', report, 'records', cell],
    queryFn: () => apiGet<RecordsResponse>(`/api/reports/${report}/records`, { cell, limit: 500 }),
    enabled: cell !== undefined,
  });
}

/** The address of the CSV of every record behind a number (the browser sends the session cookie). */
export function recordsCsvUrl(report: string, cell: string): string {
  return `/api/reports/${report}/records?${new URLSearchParams({ cell, format: 'csv', limit: '100000' })}`;
}
