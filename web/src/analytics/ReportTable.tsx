import { Button, Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ReportRow, TableReport } from '../api/analytics.ts';
import { downloadCsv, toCsv } from '../csv.ts';
import { formatValue } from './formatValue.ts';
import type { OpenedCell } from './RecordsDrawer.tsx';
import { rowLabel } from './rowLabel.ts';

interface ReportTableProps {
  report: TableReport;
  /** What the first column holds, e.g. "Source". */
  groupLabel: string;
  onOpen: (cell: OpenedCell) => void;
}

/** A report as a table in which every number opens the records behind it. */
export function ReportTable({ report, groupLabel, onOpen }: ReportTableProps) {
  const rows = [...report.rows, ...(report.total ? [report.total] : [])];
  const exportCsv = () => {
    const head = [groupLabel, ...report.columns.map((c) => c.label)];
    const body = rows.map((row) => [
      rowLabel(report, row),
      ...report.columns.map((c) => row.values[c.key] ?? ''),
    ]);
    downloadCsv(`lockstep-${report.report}.csv`, toCsv([head, ...body]));
  };
  const cell = (row: ReportRow, isTotal: boolean) =>
    report.columns.map((column) => {
      const value = row.values[column.key];
      const ref = row.cells[column.key];
      const text = formatValue(value, column.unit);
      return (
        <Table.Td key={column.key} ta="right" fw={isTotal ? 600 : undefined} data-column={column.key}>
          {ref && value !== null && value !== undefined ? (
            <UnstyledButton
              fz="sm"
              fw="inherit"
              td="underline dotted"
              title="Show the records behind this number"
              onClick={() =>
                onOpen({
                  report: report.report,
                  cell: ref,
                  title: `${column.label} — ${rowLabel(report, row)}`,
                  ...(column.unit === 'count' ? { count: value } : {}),
                })
              }
            >
              {text}
            </UnstyledButton>
          ) : (
            text
          )}
        </Table.Td>
      );
    });
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="xs" c="dimmed">
          Click any number to see the{' '}
          {report.report === 'pipeline' || report.report === 'attribution' ? 'deals' : 'leads'} behind it.
        </Text>
        <Button size="xs" variant="default" onClick={exportCsv} disabled={rows.length === 0}>
          Export table CSV
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label={`${report.title} table`} tabularNums highlightOnHover verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{groupLabel}</Table.Th>
              {report.columns.map((column) => (
                <Table.Th key={column.key} ta="right">
                  {column.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((row) => (
              <Table.Tr key={row.key ?? '(not set)'} data-row={row.key ?? ''}>
                <Table.Td
                  maw={260}
                  style={{ overflowWrap: 'anywhere' }}
                  c={row.key === null ? 'dimmed' : undefined}
                >
                  {rowLabel(report, row)}
                </Table.Td>
                {cell(row, false)}
              </Table.Tr>
            ))}
          </Table.Tbody>
          {report.total && (
            <Table.Tfoot>
              <Table.Tr>
                <Table.Td fw={600}>{report.total.label}</Table.Td>
                {cell(report.total, true)}
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </Table.ScrollContainer>
      {report.groupsOmitted > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {report.groupsOmitted} smaller groups are not listed; they still count in the total.
        </Text>
      )}
      <Text size="xs" c="dimmed" mt="sm" component="ul" pl="md">
        {report.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </Text>
    </>
  );
}
