import { useMemo } from 'react';
import type { LiftDecile } from '../api/types.ts';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatRate } from '../format.ts';
import { decileLabel } from './learnedWords.ts';

const aboveAverage = '#12b886';
const belowAverage = '#adb5bd';

/** Held-out leads in tenths by learned score, best first: how many times the average outcome rate each tenth had. */
export function LiftChart({ deciles }: { deciles: LiftDecile[] }) {
  const option = useMemo(() => liftChartOption(deciles), [deciles]);
  const summary = deciles.map((d) => `${decileLabel(d.decile)} ${d.lift.toFixed(1)}×`).join(', ');
  return <EChart option={option} height={220} label={`Lift by decile: ${summary}`} />;
}

function liftChartOption(deciles: LiftDecile[]): EChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 24, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      data: deciles.map((d) => decileLabel(d.decile)),
      axisTick: { show: false },
      // Half a modal wide, ten labels side by side would run into each other.
      axisLabel: { fontSize: 11, color: '#495057', interval: 0, rotate: 35 },
      name: '',
    },
    yAxis: {
      type: 'value',
      axisLabel: { fontSize: 11, color: '#868e96', formatter: '{value}×' },
      splitLine: { lineStyle: { color: '#f1f3f5' } },
    },
    tooltip: {
      trigger: 'item',
      formatter: (params: { dataIndex: number }) => {
        const d = deciles[params.dataIndex];
        if (!d) return '';
        return `<b>${decileLabel(d.decile)}</b> of leads by learned score<br/>${d.positives} of ${d.rows} (${formatRate(d.observedRate)}), ${d.lift.toFixed(1)}× average`;
      },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 40,
        data: deciles.map((d) => ({
          value: Number(d.lift.toFixed(2)),
          itemStyle: { color: d.lift >= 1 ? aboveAverage : belowAverage, borderRadius: [4, 4, 0, 0] },
        })),
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          color: '#212529',
          formatter: (params: { value: number }) => `${params.value.toFixed(1)}×`,
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#fa5252', type: 'dashed' },
          label: { formatter: 'average', position: 'insideEndTop', color: '#fa5252', fontSize: 11 },
          data: [{ yAxis: 1 }],
        },
      },
    ],
  };
}
