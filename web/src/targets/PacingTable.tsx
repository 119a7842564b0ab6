import { Badge, Table, Text } from '@mantine/core';
import type { PlanStage, StagePace } from '../../../src/modules/targets/reverse-funnel.ts';
import { formatCount, formatRate } from '../format.ts';
import { paceWords, shortDay } from './targetWords.ts';

const statusColor = { 'on track': 'teal', behind: 'red', 'not started': 'gray', 'no plan': 'gray' } as const;

/** Per stage: how many are needed, by when, how many came so far and whether that is on pace. */
export function PacingTable({ stages, pacing }: { stages: PlanStage[]; pacing: StagePace[] | null }) {
  return (
    <Table striped withTableBorder fz="sm" data-testid="pacing-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Stage</Table.Th>
          <Table.Th ta="right">Conversion in</Table.Th>
          <Table.Th ta="right">Needed</Table.Th>
          <Table.Th>Must arrive</Table.Th>
          <Table.Th ta="right">So far</Table.Th>
          <Table.Th ta="right">Expected by today</Table.Th>
          <Table.Th>Pace</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {stages.map((stage, i) => {
          const pace = pacing?.[i];
          return (
            <Table.Tr key={stage.key}>
              <Table.Td fw={500}>{stage.label}</Table.Td>
              <Table.Td ta="right">{formatRate(stage.rateIn)}</Table.Td>
              <Table.Td ta="right">{stage.needed === null ? '–' : formatCount(stage.needed)}</Table.Td>
              <Table.Td>
                {shortDay(stage.arriveFrom)} – {shortDay(stage.arriveBy)}
              </Table.Td>
              <Table.Td ta="right">{pace ? formatCount(pace.actual) : '–'}</Table.Td>
              <Table.Td ta="right">
                {pace?.expectedByNow === null || pace?.expectedByNow === undefined
                  ? '–'
                  : formatCount(pace.expectedByNow)}
              </Table.Td>
              <Table.Td>
                {pace ? (
                  <Badge color={statusColor[pace.status]} variant="light" tt="none">
                    {paceWords(pace, stage.arriveFrom)}
                  </Badge>
                ) : (
                  <Text size="xs" c="dimmed">
                    draft: not paced
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
