import { useMemo } from 'react';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { formatCount, formatRate, plural } from '../format.ts';
import type { StageLine } from './funnelRows.ts';

const barColor = '#228be6';
const leakColor = '#fa5252';

/** The funnel as horizontal bars, first stage on top; the stage after the biggest leak in red. */
export function FunnelChart({ lines }: { lines: StageLine[] }) {
  const option = useMemo(() => funnelChartOption(lines), [lines]);
  const summary = lines.map((line) => `${line.label} ${formatCount(line.count)}`).join(', ');
  return <EChart option={option} height={Math.max(220, lines.length * 44)} label={`Funnel: ${summary}`} />;
}

function funnelChartOption(lines: StageLine[]): EChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 150, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: lines.map((line) => line.label),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { fontSize: 13, color: '#495057' },
    },
    tooltip: {
      trigger: 'item',
      formatter: (params: { dataIndex: number }) => tooltipText(lines[params.dataIndex]),
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        data: lines.map((line) => ({
          value: line.count,
          itemStyle: { color: line.isLeak ? leakColor : barColor, borderRadius: [0, 4, 4, 0] },
        })),
        label: {
          show: true,
          position: 'right',
          fontSize: 12,
          color: '#212529',
          formatter: (params: { dataIndex: number }) => barLabel(lines[params.dataIndex]),
        },
      },
    ],
  };
}

function barLabel(line: StageLine | undefined): string {
  if (!line) return '';
  if (line.fromPrevious === null || !line.previousLabel) return formatCount(line.count);
  return `${formatCount(line.count)}  ·  ${formatRate(line.fromPrevious)} of ${plural(line.previousLabel)}`;
}

function tooltipText(line: StageLine | undefined): string {
  if (!line) return '';
  const moved =
    line.fromPrevious === null || !line.previousLabel
      ? ''
      : `<br/>${formatRate(line.fromPrevious)} of ${plural(line.previousLabel)} reached ${line.label}`;
  return `<b>${line.label}</b>: ${formatCount(line.count)} people${moved}`;
}
