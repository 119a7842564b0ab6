import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatCount, formatMonth, formatRate } from '../format.ts';
import type { AcceptancePoint, FeedbackBy, FeedbackPeriod, RejectionGroup } from './feedbackApi.ts';
import { groupName } from './feedbackWords.ts';

echarts.use([LegendComponent]);

const reasonColors = [
  '#fa5252',
  '#fd7e14',
  '#fab005',
  '#be4bdb',
  '#7950f2',
  '#4c6ef5',
  '#15aabf',
  '#82c91e',
  '#868e96',
];

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

function bucketLabel(iso: string, period: FeedbackPeriod): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return period === 'month' ? formatMonth(iso) : `wk of ${dayFormat.format(date)}`;
}

/** Acceptance rate per week or month; the bar's label says out of how many verdicts. */
export function AcceptanceChart({
  points,
  period,
}: {
  points: readonly AcceptancePoint[];
  period: FeedbackPeriod;
}) {
  const option = useMemo(
    (): EChartOption => ({
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 24, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const p = points[params[0]?.dataIndex ?? 0];
          return p
            ? `${bucketLabel(p.periodStart, period)}: ${formatRate(p.acceptanceRate)} accepted (${p.accepted} of ${p.decided})`
            : '';
        },
      },
      xAxis: {
        type: 'category',
        data: points.map((p) => `${bucketLabel(p.periodStart, period)}\n${formatCount(p.decided)} verdicts`),
        axisTick: { show: false },
        axisLabel: { fontSize: 11, lineHeight: 16, color: '#495057', interval: 0, hideOverlap: true },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 40,
          data: points.map((p) => ({
            value: p.acceptanceRate === null ? null : Math.round(p.acceptanceRate * 1000) / 10,
            itemStyle: {
              color: (p.acceptanceRate ?? 1) < 0.5 ? '#fa5252' : '#12b886',
              borderRadius: [4, 4, 0, 0],
            },
          })),
          label: {
            show: true,
            position: 'top',
            fontSize: 11,
            formatter: (params: { dataIndex: number }) => {
              const rate = points[params.dataIndex]?.acceptanceRate;
              return rate === null || rate === undefined ? '' : `${Math.round(rate * 100)}%`;
            },
          },
        },
      ],
    }),
    [points, period],
  );
  const summary = points
    .map((p) => `${bucketLabel(p.periodStart, period)} ${formatRate(p.acceptanceRate)}`)
    .join(', ');
  return <EChart option={option} height={240} label={`Acceptance rate over time: ${summary}`} />;
}

interface ReasonsChartProps {
  groups: readonly RejectionGroup[];
  by: FeedbackBy;
  reasons: { key: string; label: string }[];
}

/** Rejections per group, stacked by reason: which source, campaign or segment sends leads sales turns away, and why. */
export function ReasonsChart({ groups, by, reasons }: ReasonsChartProps) {
  const shown = useMemo(
    () =>
      [...groups]
        .filter((g) => g.rejected > 0)
        .sort((a, b) => b.rejected - a.rejected)
        .slice(0, 12),
    [groups],
  );
  const option = useMemo(
    (): EChartOption => ({
      animationDuration: 300,
      legend: { top: 0, type: 'plain', textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 24, top: reasons.length > 5 ? 48 : 28, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: shown.map((g) => groupName(g.group, by)),
        axisTick: { show: false },
      },
      series: reasons.map((reason, i) => ({
        name: reason.label,
        type: 'bar',
        stack: 'rejections',
        barMaxWidth: 22,
        itemStyle: { color: reasonColors[i % reasonColors.length] },
        data: shown.map((g) => g.reasons[reason.key] ?? 0),
      })),
    }),
    [shown, by, reasons],
  );
  const summary = shown.map((g) => `${groupName(g.group, by)} ${g.rejected}`).join(', ');
  return (
    <EChart
      option={option}
      height={Math.max(160, shown.length * 34 + 60)}
      label={`Rejections by ${by}: ${summary}`}
    />
  );
}
