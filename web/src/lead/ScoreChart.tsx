import { useMemo } from 'react';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { pointsText } from '../leadDefinition/ruleWords.ts';
import { barColors, type ScoreBar } from './scoreBars.ts';

/** Each rule that gave points as a bar: fit in blue, engagement in violet, points against in red. */
export function ScoreChart({ bars }: { bars: ScoreBar[] }) {
  const option = useMemo(() => scoreChartOption(bars), [bars]);
  const summary = bars.map((bar) => `${barName(bar)} ${pointsText(bar.points)}`).join(', ');
  return (
    <EChart
      option={option}
      height={Math.max(80, bars.length * 30 + 8)}
      label={`Points by rule: ${summary}`}
    />
  );
}

function barName(bar: ScoreBar): string {
  return bar.count && bar.count > 1 ? `${bar.label} ×${bar.count}` : bar.label;
}

function scoreChartOption(bars: ScoreBar[]): EChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map(barName),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { fontSize: 12, color: '#495057', width: 260, overflow: 'truncate' },
    },
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'bar',
        barMaxWidth: 20,
        data: bars.map((bar) => ({
          value: bar.points,
          itemStyle: {
            color: bar.points < 0 ? barColors.against : barColors[bar.kind],
            borderRadius: bar.points < 0 ? [4, 0, 0, 4] : [0, 4, 4, 0],
          },
        })),
        label: {
          show: true,
          position: 'right',
          fontSize: 12,
          color: '#212529',
          formatter: (params: { value: number }) => pointsText(params.value),
        },
      },
    ],
  };
}
