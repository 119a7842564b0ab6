import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatCount, formatMonth, formatRate } from '../format.ts';
import type { ComplianceRow, MarketingPromise, MarketingRow, PromisePeriod } from './promisesApi.ts';
import { type ComplianceLevel, complianceFloor, complianceGoal, complianceLevel } from './words.ts';

// The shared EChart registers bars, axes and tooltips; these charts also carry a legend.
echarts.use([LegendComponent]);

const colors = {
  met: '#12b886',
  belowGoal: '#fab005',
  missed: '#fa5252',
  partial: '#adb5bd',
  touch: '#4dabf7',
  promise: '#495057',
};

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** "Answered on time" in three series, one per level against the goal, so the legend explains each colour. */
const answeredSeries: { level: ComplianceLevel; name: string; color: string }[] = [
  { level: 'atGoal', name: `Answered: at goal (${percent(complianceGoal)}+)`, color: colors.met },
  { level: 'belowGoal', name: 'Answered: below goal', color: colors.belowGoal },
  { level: 'farBelow', name: `Answered: under ${percent(complianceFloor)}`, color: colors.missed },
];

const valueLabel = {
  show: true,
  position: 'right',
  fontSize: 11,
  formatter: (p: { value: number | null }) => (p.value === null ? '' : `${p.value}%`),
};

/** On-time share per rep (or team, or period): answered on time (coloured against the goal), and first contact on time. */
export function ComplianceChart({ rows }: { rows: readonly ComplianceRow[] }) {
  const option = useMemo((): EChartOption => {
    const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
    const contacted = 'Contacted on time';
    return {
      animationDuration: 300,
      legend: { top: 0, itemGap: 12, data: [...answeredSeries.map((s) => s.name), contacted] },
      // Room for the legend on two lines in a narrow column.
      grid: { left: 8, right: 40, top: 52, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { seriesName: string; value: number | null; marker: string; name: string }[]) =>
          [
            params[0]?.name ?? '',
            ...params.filter((p) => p.value !== null).map((p) => `${p.marker} ${p.seriesName}: ${p.value}%`),
          ].join('<br/>'),
      },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisTick: { show: false } },
      series: [
        // One bar per row: each row's share sits in the series of its level, the others are empty.
        ...answeredSeries.map((s, i) => ({
          name: s.name,
          type: 'bar',
          stack: 'answered',
          barMaxWidth: 14,
          itemStyle: { color: s.color },
          data: rows.map((r) =>
            r.acceptCompliance !== null && complianceLevel(r.acceptCompliance) === s.level
              ? pct(r.acceptCompliance)
              : null,
          ),
          label: valueLabel,
          markLine:
            i === 0
              ? {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: colors.promise, type: 'dashed' },
                  label: { formatter: `goal ${percent(complianceGoal)}`, position: 'end' },
                  data: [{ xAxis: complianceGoal * 100 }],
                }
              : undefined,
        })),
        {
          name: contacted,
          type: 'bar',
          barMaxWidth: 14,
          itemStyle: { color: colors.touch },
          data: rows.map((r) => pct(r.touchCompliance)),
          label: valueLabel,
        },
      ],
    };
  }, [rows]);
  const summary = rows.map((r) => `${r.label} ${formatRate(r.acceptCompliance)}`).join(', ');
  return (
    <EChart
      option={option}
      height={Math.max(200, rows.length * 40 + 74)}
      label={`Answered on time: ${summary}`}
    />
  );
}

interface MarketingChartProps {
  rows: readonly MarketingRow[];
  promise: MarketingPromise | null;
  period: PromisePeriod;
}

/** MQLs delivered per period against the promised volume; the current period is partial (grey). */
export function MqlVolumeChart({ rows, promise, period }: MarketingChartProps) {
  const option = useMemo(
    (): EChartOption =>
      barsAgainstPromise({
        labels: rows.map((r) => periodLabel(r.periodStart, period)),
        values: rows.map((r) => r.mqls),
        met: rows.map((r) => r.volumeMet),
        promise: promise?.mqlVolume ?? null,
        format: formatCount,
        promiseLabel: promise ? `promise ${formatCount(promise.mqlVolume)}` : '',
      }),
    [rows, promise, period],
  );
  const summary = rows.map((r) => `${periodLabel(r.periodStart, period)} ${formatCount(r.mqls)}`).join(', ');
  return <EChart option={option} height={220} label={`MQLs per period: ${summary}`} />;
}

/** The share of each period's MQLs that reached SQL, against the promised minimum. */
export function MqlToSqlChart({ rows, promise, period }: MarketingChartProps) {
  const option = useMemo(
    (): EChartOption =>
      barsAgainstPromise({
        labels: rows.map((r) => periodLabel(r.periodStart, period)),
        values: rows.map((r) => (r.mqlToSqlRate === null ? null : Math.round(r.mqlToSqlRate * 1000) / 10)),
        met: rows.map((r) => r.rateMet),
        promise: promise ? Math.round(promise.minMqlToSqlRate * 1000) / 10 : null,
        format: (v) => `${v}%`,
        promiseLabel: promise ? `promise ${formatRate(promise.minMqlToSqlRate)}` : '',
      }),
    [rows, promise, period],
  );
  const summary = rows
    .map((r) => `${periodLabel(r.periodStart, period)} ${formatRate(r.mqlToSqlRate)}`)
    .join(', ');
  return <EChart option={option} height={220} label={`MQL to SQL rate per period: ${summary}`} />;
}

function barsAgainstPromise(input: {
  labels: string[];
  values: (number | null)[];
  met: (boolean | null)[];
  promise: number | null;
  format: (value: number) => string;
  promiseLabel: string;
}): EChartOption {
  const last = input.values.length - 1;
  return {
    animationDuration: 300,
    grid: { left: 8, right: 90, top: 16, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '–' : input.format(v)) },
    xAxis: { type: 'category', data: input.labels, axisTick: { show: false } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => input.format(v) } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 40,
        data: input.values.map((value, i) => ({
          value,
          itemStyle: {
            color: i === last ? colors.partial : input.met[i] === false ? colors.missed : colors.met,
            borderRadius: [4, 4, 0, 0],
          },
        })),
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          formatter: (p: { value: number | null }) => (p.value === null ? '' : input.format(p.value)),
        },
        markLine:
          input.promise === null
            ? undefined
            : {
                symbol: 'none',
                silent: true,
                lineStyle: { color: colors.promise, type: 'dashed', width: 2 },
                label: { formatter: input.promiseLabel, position: 'end' },
                data: [{ yAxis: input.promise }],
              },
      },
    ],
  };
}

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2026-11-01" → "Nov 2026" (month), "Q4 2026" (quarter), "wk of Nov 23" (week). */
export function periodLabel(isoDate: string, period: PromisePeriod): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  if (period === 'quarter') return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
  if (period === 'month') return formatMonth(isoDate);
  return `wk of ${dayFormat.format(date)}`;
}
