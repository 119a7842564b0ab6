import { Button, Group, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { FunnelBreakdown, FunnelReport } from '../api/types.ts';
import { downloadCsv, toCsv } from '../csv.ts';
import { formatCount, formatRate } from '../format.ts';
import {
  type BreakdownColumn,
  type BreakdownSort,
  matchesGroupFilter,
  sortBreakdownRows,
} from './breakdownSort.ts';
import { groupName, qualifiedToWonRate } from './funnelRows.ts';

export const breakdownLabels: Record<FunnelBreakdown, string> = {
  none: 'None',
  source: 'Source',
  campaign: 'Campaign',
  landing_page: 'Landing page',
  owner: 'Owner',
  segment: 'Segment',
  team: 'Team',
  month: 'Month',
};

/**
 * The funnel per source, campaign, landing page or owner: sortable, filterable, exportable. With
 * `onOpen`, each count opens the people behind it (its cell from the report).
 */
export function BreakdownTable({
  report,
  onOpen,
}: {
  report: FunnelReport;
  onOpen?: (cell: string, title: string) => void;
}) {
  const cellsOf = new Map(report.rows.map((row, i) => [row.group, report.cells.rows[i] ?? []]));
  const count = (value: number, cell: string | undefined, title: string) =>
    onOpen && cell ? (
      <UnstyledButton fz="sm" fw="inherit" td="underline dotted" onClick={() => onOpen(cell, title)}>
        {formatCount(value)}
      </UnstyledButton>
    ) : (
      formatCount(value)
    );
  const [sort, setSort] = useState<BreakdownSort>({ column: 0, descending: true });
  const [filter, setFilter] = useState('');
  const groupLabel = breakdownLabels[report.by];
  const rateLabel = qualifiedToWonLabel(report);
  const rows = sortBreakdownRows(
    report.rows.filter((row) => matchesGroupFilter(row, filter, report.by)),
    sort,
    report.by,
  );

  const toggle = (column: BreakdownColumn) =>
    setSort((current) =>
      current.column === column
        ? { column, descending: !current.descending }
        : { column, descending: column !== 'group' },
    );
  const header = (column: BreakdownColumn, label: string, numeric: boolean) => (
    <SortableHeader
      key={column}
      label={label}
      numeric={numeric}
      sort={sort}
      column={column}
      onToggle={toggle}
    />
  );

  const exportCsv = () => {
    const head = [groupLabel, ...report.stages.map((stage) => stage.label), rateLabel];
    const body = rows.map((row) => [
      groupName(row.group, report.by),
      ...row.counts,
      formatRate(qualifiedToWonRate(row)),
    ]);
    downloadCsv(`lockstep-funnel-by-${report.by}.csv`, toCsv([head, ...body]));
  };

  return (
    <>
      <Group justify="space-between" mb="xs">
        <TextInput
          placeholder={`Filter by ${groupLabel.toLowerCase()}`}
          aria-label={`Filter by ${groupLabel.toLowerCase()}`}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          w={260}
          size="xs"
        />
        <Group gap="sm">
          <Text size="xs" c="dimmed">
            {rows.length === report.rows.length
              ? `${formatCount(rows.length)} groups`
              : `${formatCount(rows.length)} of ${formatCount(report.rows.length)} groups`}
          </Text>
          <Button size="xs" variant="default" onClick={exportCsv} disabled={rows.length === 0}>
            Export CSV
          </Button>
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label={`Funnel by ${groupLabel.toLowerCase()}`} tabularNums highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {header('group', groupLabel, false)}
              {report.stages.map((stage, index) => header(index, stage.label, true))}
              {header('rate', rateLabel, true)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.group ?? '(not set)'}>
                <Table.Td
                  maw={280}
                  style={{ overflowWrap: 'anywhere' }}
                  c={row.group === null ? 'dimmed' : undefined}
                >
                  {groupName(row.group, report.by)}
                </Table.Td>
                {row.counts.map((value, index) => (
                  <Table.Td key={report.stages[index]?.key ?? index} ta="right">
                    {count(
                      value,
                      cellsOf.get(row.group)?.[index],
                      `${report.stages[index]?.label ?? ''} — ${groupName(row.group, report.by)}`,
                    )}
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600}>
                  {formatRate(qualifiedToWonRate(row))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr fw={600}>
              <Table.Td>All people</Table.Td>
              {report.total.counts.map((value, index) => (
                <Table.Td key={report.stages[index]?.key ?? index} ta="right">
                  {count(
                    value,
                    report.cells.total[index],
                    `${report.stages[index]?.label ?? ''} — all people`,
                  )}
                </Table.Td>
              ))}
              <Table.Td ta="right">{formatRate(qualifiedToWonRate(report.total))}</Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {report.groupsOmitted > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {formatCount(report.groupsOmitted)} smaller groups are not listed; their people still count in All
          people.
        </Text>
      )}
    </>
  );
}

/** "MQL → Won": the second stage to the last one, named from the configured lifecycle. */
function qualifiedToWonLabel(report: FunnelReport): string {
  const second = report.stages[1]?.label ?? '';
  const last = report.stages[report.stages.length - 1]?.label ?? '';
  return `${second} → ${last}`;
}

interface SortableHeaderProps {
  label: string;
  numeric: boolean;
  column: BreakdownColumn;
  sort: BreakdownSort;
  onToggle: (column: BreakdownColumn) => void;
}

function SortableHeader({ label, numeric, column, sort, onToggle }: SortableHeaderProps) {
  const active = sort.column === column;
  const arrow = active ? (sort.descending ? ' ↓' : ' ↑') : '';
  return (
    <Table.Th
      ta={numeric ? 'right' : 'left'}
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <UnstyledButton onClick={() => onToggle(column)} fw={700} fz="sm" title={`Sort by ${label}`}>
        {label}
        {arrow}
      </UnstyledButton>
    </Table.Th>
  );
}
