import { Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { ImportPreset, ImportRun } from '../api/imports.ts';
import { formatCount } from '../format.ts';
import { ago, exactTime } from '../integrations/time.ts';
import { ImportStatusBadge } from './ImportRunCard.tsx';
import { runKindLabel } from './importWords.ts';

/** Every recent import, from this page or the command line; a row shows that import above. */
export function RecentImports({
  runs,
  presets,
  selected,
  onSelect,
}: {
  runs: ImportRun[];
  presets: ImportPreset[];
  selected: string | undefined;
  onSelect: (id: string) => void;
}) {
  if (runs.length === 0) return <Text c="dimmed">No imports yet.</Text>;
  return (
    <Table highlightOnHover withTableBorder fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>File</Table.Th>
          <Table.Th>Exported from</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Rows</Table.Th>
          <Table.Th ta="right">Created</Table.Th>
          <Table.Th ta="right">Rejected</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.map((run) => (
          <Table.Tr
            key={run.id}
            onClick={() => onSelect(run.id)}
            style={{ cursor: 'pointer' }}
            bg={run.id === selected ? 'var(--mantine-color-blue-light)' : undefined}
          >
            <Table.Td>
              <UnstyledButton fz="sm" onClick={() => onSelect(run.id)}>
                {run.fileName}
              </UnstyledButton>
            </Table.Td>
            <Table.Td>{runKindLabel(run.kind, presets)}</Table.Td>
            <Table.Td>
              <Tooltip label={exactTime(run.startedAt)}>
                <span>{ago(run.startedAt)}</span>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <ImportStatusBadge run={run} />
            </Table.Td>
            <Table.Td ta="right">{run.report ? formatCount(run.report.rowsRead) : '–'}</Table.Td>
            <Table.Td ta="right">{run.report ? formatCount(run.report.created) : '–'}</Table.Td>
            <Table.Td ta="right">{run.report ? formatCount(run.report.rejected) : '–'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
