import { Paper, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Person } from '../api/types.ts';
import { formatDate, humanize, humanizeValue } from '../format.ts';

/** Who the lead is: the fields fit rules look at, and where they came from. */
export function LeadFacts({ person }: { person: Person }) {
  const facts: [string, ReactNode][] = [
    ['Email', person.email],
    ['Job title', person.title],
    ['Company', person.accountName],
    ['Country', person.country],
    ['Phone', person.phone],
    ['Lead source', person.source === null ? null : humanize(person.source)],
    ['Campaign', person.campaignName],
    ['Landing page', person.landingPage],
    ['Owner', person.ownerName],
    ['Added', formatDate(person.createdAt)],
    ...Object.entries(person.attributes).map(([key, value]): [string, ReactNode] => [
      humanize(key),
      humanizeValue(value),
    ]),
  ];
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="xs">
        About
      </Title>
      <Table aria-label="About the lead" verticalSpacing={3} withRowBorders={false} fz="sm">
        <Table.Tbody>
          {facts.map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Td c="dimmed" w={110} style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                {name}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                {value ?? (
                  <Text span c="dimmed" size="sm">
                    (not set)
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
