import { Grid, Paper, Table, Text, Title } from '@mantine/core';
import type { LeadDefinition } from '../api/types.ts';
import { countOf } from '../format.ts';
import {
  decayText,
  engagementActivity,
  engagementCondition,
  engagementLabel,
  fitCondition,
  gradeCutoffsText,
  pointsText,
  timesText,
} from './ruleWords.ts';

/** A definition's rules as two tables a person reads: who fits, and what behaviour counts. */
export function RulesTables({ rules }: { rules: LeadDefinition }) {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder p="md" h="100%">
          <Title order={4} mb={4}>
            Fit — who we want
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {gradeCutoffsText(rules)}
          </Text>
          <FitTable rules={rules} />
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Paper withBorder p="md" h="100%">
          <Title order={4} mb={4}>
            Engagement — what they do
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {decayText(rules)}
          </Text>
          <EngagementTable rules={rules} />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function FitTable({ rules }: { rules: LeadDefinition }) {
  if (rules.fit.rules.length === 0) return <NoRules kind="fit" />;
  return (
    <Table aria-label="Fit rules" verticalSpacing={4} tabularNums>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th ta="right">Points</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rules.fit.rules.map((rule) => (
          <Table.Tr key={rule.id}>
            <Table.Td>
              {fitCondition(rule)}
              <OwnLabel label={rule.label} generated={fitCondition(rule)} />
            </Table.Td>
            <Table.Td ta="right">
              <Points value={rule.points} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A label a person wrote ("Decision maker"); one the form made from the condition would only repeat it. */
function OwnLabel({ label, generated }: { label: string | undefined; generated: string }) {
  if (!label || label === generated) return null;
  return (
    <Text span size="xs" c="dimmed" ml={6}>
      {label}
    </Text>
  );
}

function EngagementTable({ rules }: { rules: LeadDefinition }) {
  if (rules.engagement.rules.length === 0) return <NoRules kind="engagement" />;
  return (
    <Table aria-label="Engagement rules" verticalSpacing={4} tabularNums>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Activity</Table.Th>
          <Table.Th>Only when</Table.Th>
          <Table.Th ta="right">Points each</Table.Th>
          <Table.Th ta="right">Counted at most</Table.Th>
          <Table.Th ta="right">Within</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rules.engagement.rules.map((rule) => (
          <Table.Tr key={rule.id}>
            <Table.Td>
              {engagementActivity(rule)}
              <OwnLabel label={rule.label} generated={engagementLabel(rule)} />
            </Table.Td>
            <Table.Td>{engagementCondition(rule)}</Table.Td>
            <Table.Td ta="right">
              <Points value={rule.points} />
            </Table.Td>
            <Table.Td ta="right">
              {rule.maxCount === undefined ? 'no cap' : timesText(rule.maxCount)}
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {rule.withinDays === undefined ? 'any time' : countOf(rule.withinDays, 'day')}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Points({ value }: { value: number }) {
  return (
    <Text span fw={600} c={value < 0 ? 'red.7' : 'teal.8'}>
      {pointsText(value)}
    </Text>
  );
}

function NoRules({ kind }: { kind: string }) {
  return (
    <Text size="sm" c="dimmed">
      No {kind} rules: {kind} does not change the score.
    </Text>
  );
}
