import { Button, Group, Table, Text } from '@mantine/core';
import { downloadCsv, toCsv } from '../csv.ts';
import { formatCount, formatRate } from '../format.ts';
import type { FeedbackBy, RejectionGroup } from './feedbackApi.ts';
import { byLabels, groupName } from './feedbackWords.ts';

interface ReasonsTableProps {
  groups: readonly RejectionGroup[];
  by: FeedbackBy;
  reasons: { key: string; label: string }[];
}

// The group's name stays in view when a narrow screen scrolls the reason columns sideways.
const stickyFirst = {
  position: 'sticky',
  left: 0,
  zIndex: 1,
  minWidth: 200,
  background: 'var(--mantine-color-body)',
} as const;

/** Every group with its verdicts and each rejection reason's count; exports to CSV. */
export function ReasonsTable({ groups, by, reasons }: ReasonsTableProps) {
  const sorted = [...groups].sort((a, b) => b.decided - a.decided);
  const exportCsv = () =>
    downloadCsv(
      `rejections-by-${by}.csv`,
      toCsv([
        [byLabels[by], 'Decided', 'Accepted', 'Rejected', 'Acceptance rate', ...reasons.map((r) => r.label)],
        ...sorted.map((g) => [
          groupName(g.group, by),
          g.decided,
          g.accepted,
          g.rejected,
          g.acceptanceRate === null ? '' : g.acceptanceRate.toFixed(4),
          ...reasons.map((r) => g.reasons[r.key] ?? 0),
        ]),
      ]),
    );
  return (
    <>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {formatCount(sorted.length)} {byLabels[by].toLowerCase()}s with at least one verdict.
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={exportCsv}>
          Export CSV
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={960}>
        <Table aria-label={`Verdicts by ${by}`} fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={stickyFirst}>{byLabels[by]}</Table.Th>
              <Table.Th ta="right">Decided</Table.Th>
              <Table.Th ta="right">Accepted %</Table.Th>
              <Table.Th ta="right">Rejected</Table.Th>
              {reasons.map((reason) => (
                <Table.Th key={reason.key} ta="right" fz="xs">
                  {reason.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((g) => (
              <Table.Tr key={g.group ?? '(none)'}>
                <Table.Td fw={500} style={stickyFirst}>
                  {groupName(g.group, by)}
                </Table.Td>
                <Table.Td ta="right">{formatCount(g.decided)}</Table.Td>
                <Table.Td ta="right">{formatRate(g.acceptanceRate)}</Table.Td>
                <Table.Td ta="right">{formatCount(g.rejected)}</Table.Td>
                {reasons.map((reason) => (
                  <Table.Td
                    key={reason.key}
                    ta="right"
                    c={(g.reasons[reason.key] ?? 0) > 0 ? undefined : 'dimmed'}
                  >
                    {formatCount(g.reasons[reason.key] ?? 0)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
