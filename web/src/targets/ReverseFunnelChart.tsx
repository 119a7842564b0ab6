import { useMemo } from 'react';
import type { PlanStage } from '../../../src/modules/targets/reverse-funnel.ts';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatCount } from '../format.ts';
import { shortDay } from './targetWords.ts';

interface ReverseFunnelChartProps {
  stages: PlanStage[];
  /** Reached each stage so far within its window; omitted for a draft. */
  arrivals?: number[] | undefined;
}

/** Each stage's needed count as a pale bar, what has arrived so far drawn over it. */
export function ReverseFunnelChart({ stages, arrivals }: ReverseFunnelChartProps) {
  const option = useMemo(() => chartOption(stages, arrivals), [stages, arrivals]);
  const summary = stages
    .map((s) => `${s.label} ${s.needed === null ? 'unknown' : formatCount(s.needed)}`)
    .join(', ');
  return <EChart option={option} height={Math.max(220, stages.length * 46)} label={`Needed: ${summary}`} />;
}

function chartOption(stages: PlanStage[], arrivals: number[] | undefined): EChartOption {
  const aheadOfPlan = (stage: PlanStage, i: number) =>
    arrivals !== undefined && (arrivals[i] ?? 0) > (stage.needed ?? 0);
  const label = {
    position: 'right',
    fontSize: 12,
    color: '#212529',
    formatter: (params: { dataIndex: number }) => {
      const stage = stages[params.dataIndex];
      if (!stage || stage.needed === null) return 'unknown';
      return `${formatCount(stage.needed)} needed by ${shortDay(stage.arriveBy)}`;
    },
  };
  return {
    // No animation: the bars follow the what-if sliders as they move.
    animation: false,
    grid: { left: 8, right: 190, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: stages.map((s) => s.label),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { fontSize: 13, color: '#495057' },
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number }[]) => {
        const i = params[0]?.dataIndex ?? 0;
        const stage = stages[i];
        if (!stage) return '';
        const so = arrivals ? `<br/>${formatCount(arrivals[i] ?? 0)} so far` : '';
        return `<b>${stage.label}</b>: ${stage.needed === null ? 'unknown' : formatCount(stage.needed)} needed between ${shortDay(stage.arriveFrom)} and ${shortDay(stage.arriveBy)}${so}`;
      },
    },
    series: [
      {
        name: 'Needed',
        type: 'bar',
        barMaxWidth: 28,
        barGap: '-100%',
        data: stages.map((s, i) => ({
          value: s.needed ?? 0,
          itemStyle: { color: '#d0ebff', borderRadius: [0, 4, 4, 0] },
          label: { ...label, show: !aheadOfPlan(s, i) },
        })),
      },
      ...(arrivals
        ? [
            {
              name: 'So far',
              type: 'bar',
              barMaxWidth: 28,
              data: stages.map((s, i) => ({
                value: arrivals[i] ?? 0,
                itemStyle: { color: '#228be6', borderRadius: [0, 4, 4, 0] },
                // Past the needed count the label moves to the end of this, longer, bar.
                label: { ...label, show: aheadOfPlan(s, i) },
              })),
            },
          ]
        : []),
    ],
  };
}
