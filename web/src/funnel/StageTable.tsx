import { Badge, Table, UnstyledButton } from '@mantine/core';
import { formatCount, formatRate, plural } from '../format.ts';
import type { StageLine } from './funnelRows.ts';

/**
 * The funnel as numbers: how many people reached each stage and how many moved on. With `onOpenCount`,
 * each count opens the people behind it.
 */
export function StageTable({
  lines,
  onOpenCount,
}: {
  lines: StageLine[];
  onOpenCount?: (index: number) => void;
}) {
  const first = lines[0]?.label ?? 'first stage';
  return (
    <Table aria-label="Funnel by stage" tabularNums highlightOnHover verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Stage</Table.Th>
          <Table.Th ta="right">People</Table.Th>
          <Table.Th ta="right" title="Share of the stage above that reached this stage">
            % of stage above
          </Table.Th>
          <Table.Th ta="right" title={`Share of all ${plural(first)} that reached this stage`}>
            % of {plural(first)}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line, index) => (
          <Table.Tr key={line.key} data-stage={line.key} bg={line.isLeak ? 'red.0' : undefined}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {line.label}
              {line.isLeak && (
                <Badge ml={6} size="xs" color="red" variant="light" tt="none">
                  biggest leak
                </Badge>
              )}
            </Table.Td>
            <Table.Td ta="right" data-column="count">
              {onOpenCount ? (
                <UnstyledButton
                  fz="sm"
                  td="underline dotted"
                  title={`Show the people who reached ${line.label}`}
                  onClick={() => onOpenCount(index)}
                >
                  {formatCount(line.count)}
                </UnstyledButton>
              ) : (
                formatCount(line.count)
              )}
            </Table.Td>
            <Table.Td ta="right" data-column="from-previous">
              {formatRate(line.fromPrevious)}
            </Table.Td>
            <Table.Td ta="right" data-column="from-first">
              {formatRate(line.fromFirst)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
