import { ScatterChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { LearnedOutcome, LiftDecile } from '../api/types.ts';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatRate } from '../format.ts';
import { decileLabel, outcomeWords } from './learnedWords.ts';

// The shared EChart registers bars and lines to mark; the tenths are points.
echarts.use([ScatterChart]);

const tenthColor = '#228be6';
const diagonalColor = '#868e96';

interface CalibrationChartProps {
  deciles: LiftDecile[];
  outcome: LearnedOutcome;
}

/** Each held-out tenth as a point: the rate the learned score predicted, and the rate that happened. */
export function CalibrationChart({ deciles, outcome }: CalibrationChartProps) {
  const option = useMemo(() => calibrationChartOption(deciles, outcome), [deciles, outcome]);
  const done = outcomeWords[outcome].done;
  const summary = deciles
    .map(
      (d) =>
        `${decileLabel(d.decile)} predicted ${formatRate(d.meanPredicted)}, ${done} ${formatRate(d.observedRate)}`,
    )
    .join('; ');
  return <EChart option={option} height={220} label={`Predicted and actual rate by decile: ${summary}`} />;
}

/** A round top for both axes, so the diagonal runs corner to corner. */
function axisTop(deciles: LiftDecile[]): number {
  const highest = Math.max(0.01, ...deciles.flatMap((d) => [d.meanPredicted, d.observedRate]));
  const step = highest > 0.5 ? 0.1 : highest > 0.2 ? 0.05 : highest > 0.05 ? 0.02 : 0.01;
  return Math.min(1, Math.ceil((highest * 1.05) / step) * step);
}

function calibrationChartOption(deciles: LiftDecile[], outcome: LearnedOutcome): EChartOption {
  const top = axisTop(deciles);
  const percentAxis = (name: string) => ({
    type: 'value',
    min: 0,
    max: top,
    name,
    nameLocation: 'middle',
    nameGap: 24,
    nameTextStyle: { fontSize: 11, color: '#495057' },
    axisLabel: {
      fontSize: 11,
      color: '#868e96',
      formatter: (value: number) => `${Math.round(value * 100)}%`,
    },
    splitLine: { color: '#f1f3f5' },
  });
  const points = [...deciles].sort((a, b) => a.meanPredicted - b.meanPredicted);
  return {
    animationDuration: 300,
    grid: { left: 12, right: 16, top: 12, bottom: 26, containLabel: true },
    xAxis: percentAxis('Predicted'),
    yAxis: { ...percentAxis(`Actually ${outcomeWords[outcome].done}`), nameGap: 36 },
    tooltip: {
      trigger: 'item',
      formatter: (params: { seriesIndex: number; dataIndex: number }) => {
        const d = points[params.dataIndex];
        if (params.seriesIndex !== 0 || !d) return '';
        return `<b>${decileLabel(d.decile)}</b> of leads by learned score<br/>predicted ${formatRate(d.meanPredicted)}; ${d.positives} of ${d.rows} (${formatRate(d.observedRate)}) ${outcomeWords[outcome].rate}`;
      },
    },
    series: [
      {
        type: 'scatter',
        data: points.map((d) => [d.meanPredicted, d.observedRate]),
        symbolSize: 10,
        itemStyle: { color: tenthColor, opacity: 0.85 },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: diagonalColor, type: 'dashed', width: 1 },
          label: { formatter: 'as predicted', position: 'insideEndTop', color: diagonalColor, fontSize: 11 },
          data: [[{ coord: [0, 0] }, { coord: [top, top] }]],
        },
      },
    ],
  };
}
