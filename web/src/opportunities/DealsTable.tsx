import { Badge, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Opportunity, Pipeline } from '../api/opportunities.ts';
import { countOf, formatDate } from '../format.ts';
import { stageName } from '../people/names.ts';
import { daysSince, formatMoney } from './money.ts';

/** An open deal this long in one stage is shown as stuck. */
export const STUCK_DAYS = 30;

const stageColor = (stage: string) => (stage === 'won' ? 'teal' : stage === 'lost' ? 'red' : 'blue');

/** Deals, newest opened first; a row opens the deal's history. */
export function DealsTable({
  deals,
  pipeline,
  onOpen,
  compact = false,
}: {
  deals: Opportunity[];
  pipeline: Pipeline | undefined;
  onOpen: (id: string) => void;
  compact?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={compact ? 500 : 1000}>
      <Table aria-label="Opportunities" highlightOnHover verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Deal</Table.Th>
            {!compact && <Table.Th>Account</Table.Th>}
            {!compact && <Table.Th>Owner</Table.Th>}
            <Table.Th>Product</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Amount</Table.Th>
            <Table.Th>Opened</Table.Th>
            <Table.Th>In stage</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deals.map((deal) => {
            const days = daysSince(deal.stageEnteredAt);
            const stuck =
              deal.closedAt === null &&
              Date.now() - new Date(deal.stageEnteredAt).getTime() > STUCK_DAYS * 86_400_000;
            return (
              <Table.Tr key={deal.id} style={{ cursor: 'pointer' }} onClick={() => onOpen(deal.id)}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {deal.name}
                  </Text>
                </Table.Td>
                {!compact && <Table.Td>{deal.accountName ?? <Dim>no account</Dim>}</Table.Td>}
                {!compact && <Table.Td>{deal.ownerName ?? <Dim>no owner</Dim>}</Table.Td>}
                <Table.Td>{deal.product ?? <Dim>—</Dim>}</Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none" color={stageColor(deal.stage)}>
                    {stageName(deal.stage, pipeline?.stages)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {deal.amount === null ? <Dim>—</Dim> : formatMoney(deal.amount, deal.currency)}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(deal.openedAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {deal.closedAt !== null ? (
                    <Dim>closed {formatDate(deal.closedAt)}</Dim>
                  ) : stuck ? (
                    <Badge color="orange" variant="light" tt="none">
                      stuck {countOf(days, 'day')}
                    </Badge>
                  ) : (
                    countOf(days, 'day')
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Dim({ children }: { children: ReactNode }) {
  return (
    <Text span c="dimmed" size="sm">
      {children}
    </Text>
  );
}
