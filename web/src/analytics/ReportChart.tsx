import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { TableReport } from '../api/analytics.ts';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatValue } from './formatValue.ts';
import { isMonthly, rowLabel } from './rowLabel.ts';

// The shared EChart registers bars; the analytics charts add lines and a legend.
echarts.use([LineChart, LegendComponent]);

interface Series {
  key: string;
  type?: 'bar' | 'line';
  /** 1: the right-hand axis (rates next to counts). */
  axis?: 0 | 1;
}

/** Which columns each report draws; the rest are in the table. */
const seriesOf: Record<TableReport['report'], Series[]> = {
  funnel: [{ key: 'count' }],
  velocity: [{ key: 'median' }, { key: 'p90' }],
  cohorts: [
    { key: 'mqls' },
    { key: 'sql_rate', type: 'line', axis: 1 },
    { key: 'won_rate', type: 'line', axis: 1 },
  ],
  breakdown: [{ key: 'mqls' }, { key: 'won' }, { key: 'mql_to_won', type: 'line', axis: 1 }],
  pipeline: [{ key: 'won_value' }, { key: 'pipeline_value' }],
  attribution: [{ key: 'first_touch' }, { key: 'last_touch' }, { key: 'linear' }, { key: 'w_shaped' }],
  cost: [{ key: 'cost_per_mql' }, { key: 'cost_per_sql' }, { key: 'cost_per_won' }],
};

const palette = ['#228be6', '#40c057', '#fab005', '#be4bdb', '#fa5252'];

/** A chart of a report's main numbers: the largest 12 groups, or the latest 12 months. */
export function ReportChart({ report, byGroupLabel }: { report: TableReport; byGroupLabel: string }) {
  const option = useMemo<EChartOption>(() => {
    const rows = isMonthly(report) ? report.rows.slice(-12) : report.rows.slice(0, 12);
    const series = seriesOf[report.report].filter((s) => report.columns.some((c) => c.key === s.key));
    const columnOf = (key: string) => report.columns.find((c) => c.key === key)!;
    const leftUnit = series.find((s) => s.axis !== 1)
      ? columnOf(series.find((s) => s.axis !== 1)!.key).unit
      : 'count';
    const hasRight = series.some((s) => s.axis === 1);
    return {
      color: palette,
      tooltip: {
        trigger: 'axis',
        valueFormatter: undefined,
        formatter: (
          params: {
            seriesName: string;
            value: number;
            axisValueLabel: string;
            marker: string;
            seriesIndex: number;
          }[],
        ) =>
          [
            params[0]?.axisValueLabel ?? '',
            ...params.map(
              (p) =>
                `${p.marker} ${p.seriesName}: ${formatValue(p.value, columnOf(series[p.seriesIndex]!.key).unit)}`,
            ),
          ].join('<br/>'),
      },
      legend: { top: 0 },
      grid: { left: 8, right: hasRight ? 8 : 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((row) => rowLabel(report, row)),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, width: 110, overflow: 'truncate' },
        name: byGroupLabel,
        nameLocation: 'middle',
        nameGap: 28,
        nameTextStyle: { color: 'transparent' },
      },
      yAxis: [
        {
          type: 'value',
          axisLabel: {
            formatter: (v: number) => (leftUnit === 'days' ? `${v} d` : formatValue(v, leftUnit)),
          },
        },
        ...(hasRight
          ? [
              {
                type: 'value',
                min: 0,
                axisLabel: { formatter: (v: number) => formatValue(v, 'rate') },
                splitLine: { show: false },
              },
            ]
          : []),
      ],
      series: series.map((s) => ({
        name: columnOf(s.key).label,
        type: s.type ?? 'bar',
        yAxisIndex: s.axis ?? 0,
        data: rows.map((row) => row.values[s.key] ?? null),
        ...(s.type === 'line' ? { smooth: false, symbolSize: 6 } : { barMaxWidth: 36 }),
      })),
    };
  }, [report, byGroupLabel]);
  return <EChart option={option} height={300} label={`${report.title} chart`} />;
}
