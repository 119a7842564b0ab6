import { Table, Text } from '@mantine/core';
import type { Backtest, BacktestSide } from '../api/types.ts';
import { formatCount, formatRate } from '../format.ts';
import { changeText, sideRates } from './backtestWords.ts';

interface Line {
  label: string;
  hint?: string;
  value: (side: BacktestSide) => number | null;
  kind: 'count' | 'rate';
}

const lines: Line[] = [
  { label: 'MQLs', hint: 'leads the version makes sales-ready', value: (side) => side.mqls, kind: 'count' },
  { label: '… later accepted by sales', value: (side) => side.accepted, kind: 'count' },
  { label: '… later reached SQL', value: (side) => side.sql, kind: 'count' },
  { label: '… later won', value: (side) => side.won, kind: 'count' },
  { label: 'MQL → accepted', value: (side) => sideRates(side).accepted, kind: 'rate' },
  { label: 'MQL → won', value: (side) => sideRates(side).won, kind: 'rate' },
];

const show = (line: Line, value: number | null) =>
  line.kind === 'count' ? formatCount(value ?? 0) : formatRate(value);

/** "+32 (+11%)" for MQLs, "+8" for other counts, "+3.0 pts" for rates; empty with nothing to compare. */
function difference(line: Line, candidate: number | null, inForce: number | null): string {
  if (candidate === null || inForce === null) return '';
  if (line.kind === 'rate') {
    const points = (candidate - inForce) * 100;
    const text = Math.abs(points).toFixed(1);
    return text === '0.0' ? '±0.0 pts' : `${points > 0 ? '+' : '−'}${text} pts`;
  }
  const delta = candidate - inForce;
  const count = delta === 0 ? '±0' : `${delta > 0 ? '+' : '−'}${formatCount(Math.abs(delta))}`;
  // A share of a handful of outcomes (+1100%) says little; the MQL change is the one the sentence names.
  const change = line.label === 'MQLs' ? changeText(candidate, inForce) : null;
  return change && delta !== 0 ? `${count} (${change})` : count;
}

function tone(line: Line, candidate: number | null, inForce: number | null): string | undefined {
  // More MQLs is neither good nor bad by itself; more of what sales accepts and wins is.
  if (candidate === null || inForce === null || line.label === 'MQLs' || candidate === inForce)
    return undefined;
  return candidate > inForce ? 'teal.8' : 'red.7';
}

/** The candidate version and the one in force side by side: what each would have made, and what became of it. */
export function BacktestComparison({ backtest }: { backtest: Backtest }) {
  const { candidate, inForce } = backtest;
  return (
    <Table aria-label="Backtest comparison" tabularNums withTableBorder verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Of the {formatCount(backtest.leads)} new leads</Table.Th>
          <Table.Th ta="right">Version {candidate.version} (this one)</Table.Th>
          {inForce && (
            <>
              <Table.Th ta="right">Version {inForce.version} (in force)</Table.Th>
              <Table.Th ta="right">Difference</Table.Th>
            </>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line) => {
          const mine = line.value(candidate);
          const theirs = inForce ? line.value(inForce) : null;
          return (
            <Table.Tr key={line.label} fw={line.label === 'MQLs' ? 600 : undefined}>
              <Table.Td>
                {line.label}
                {line.hint && (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {line.hint}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{show(line, mine)}</Table.Td>
              {inForce && (
                <>
                  <Table.Td ta="right">{show(line, theirs)}</Table.Td>
                  <Table.Td ta="right" c={tone(line, mine, theirs)}>
                    {difference(line, mine, theirs)}
                  </Table.Td>
                </>
              )}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
