import {
  Alert,
  Box,
  Button,
  Drawer,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useLeadDefinitions } from '../api/leadDefinitions.ts';
import { useTeam } from '../api/team.ts';
import type { DefinitionVersion, Team, User } from '../api/types.ts';
import { BacktestPanel } from '../leadDefinition/BacktestPanel.tsx';
import { LearnFromOutcomes } from '../leadDefinition/LearnFromOutcomes.tsx';
import { RescoringProgress } from '../leadDefinition/RescoringProgress.tsx';
import { RulesTables } from '../leadDefinition/RulesTables.tsx';
import { definitionSentence, signatureState } from '../leadDefinition/ruleWords.ts';
import { VersionHistory } from '../leadDefinition/VersionHistory.tsx';
import { navigate, routes } from '../router.ts';
import { signStep } from '../team/teamWords.ts';
import { WhoSigns } from '../team/WhoSigns.tsx';

/** What is a sales-ready lead here, and who agreed? */
export function LeadDefinitionPage({ user }: { user: User }) {
  const definitions = useLeadDefinitions();
  const versions = definitions.data ?? [];
  const inForce = versions.find((version) => version.status === 'in force');
  const canDraft = user.role !== 'viewer';
  const [backtested, setBacktested] = useState<number | null>(null);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2}>Lead definition</Title>
          {definitions.data && (
            <Text fz="lg" fw={600} mt={4} data-testid="definition-sentence">
              {definitionSentence(inForce)}
            </Text>
          )}
          {inForce && (
            <Text c="dimmed" size="sm">
              Fit says who the lead is, engagement what they did. Each lead's page shows which rules gave its
              points.
            </Text>
          )}
          {inForce && <RescoringProgress version={inForce} />}
        </div>
        {canDraft && definitions.data && (
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <LearnFromOutcomes onBacktest={setBacktested} />
            {versions.length > 0 && <Button onClick={() => navigate(routes.newDraft)}>New draft</Button>}
          </Group>
        )}
      </Group>

      {definitions.isError && (
        <Alert color="red" title="The lead definition could not be loaded">
          {definitions.error.message}
        </Alert>
      )}
      {definitions.isPending && <Skeleton height={300} />}
      {definitions.data && !inForce && <NothingInForce versions={versions} canDraft={canDraft} />}
      {inForce && <RulesTables rules={inForce.rules} />}
      {user.role === 'viewer' && (
        <Text size="sm" c="dimmed">
          You can read the definition; people in marketing and sales write drafts and sign them for their
          team.
        </Text>
      )}
      {versions.length > 0 && (
        <Paper withBorder p="md">
          <Title order={4}>Versions</Title>
          <Text size="sm" c="dimmed">
            A version takes effect only when marketing and sales have both signed it and an admin has
            published it.
          </Text>
          <Box mb="xs">
            <WhoSigns />
          </Box>
          <VersionHistory versions={versions} user={user} onBacktest={setBacktested} />
        </Paper>
      )}
      <Drawer
        opened={backtested !== null}
        onClose={() => setBacktested(null)}
        position="right"
        size={880}
        title={
          <Text fw={700} fz="lg">
            Backtest of version {backtested}
            {inForce ? ` against version ${inForce.version}, in force` : ''}
          </Text>
        }
      >
        {backtested !== null && <BacktestPanel version={backtested} />}
      </Drawer>
    </Stack>
  );
}

/** The call to action before anything is agreed: the steps to agreement, and how far the latest draft got. */
function NothingInForce({ versions, canDraft }: { versions: DefinitionVersion[]; canDraft: boolean }) {
  const pending = versions.find((version) => !version.publishedAt);
  const teammates = useTeam();
  const signedBy = (side: Team) => pending !== undefined && !pending.missingSignatures.includes(side);
  const steps = [
    {
      done: pending !== undefined,
      text: 'Someone in marketing or sales writes a draft: who fits, what engagement counts, the MQL bar.',
    },
    { done: signedBy('marketing'), text: signStep(teammates.data, 'marketing') },
    { done: signedBy('sales'), text: signStep(teammates.data, 'sales') },
    {
      done: false,
      text: 'An admin publishes it; from then on every lead is scored, and becomes an MQL, by it.',
    },
  ];
  return (
    <Paper withBorder p="lg" bg="blue.0" data-testid="no-definition">
      <Text fw={600} mb="xs">
        {pending
          ? `Version ${pending.version} is ${signatureState(pending)}.`
          : 'Until marketing and sales agree on one, each team counts sales-ready leads its own way.'}
      </Text>
      <List size="sm" spacing={6} mb={canDraft && !pending ? 'md' : 0} center>
        {steps.map((step, index) => (
          <List.Item
            key={step.text}
            c={step.done ? 'dimmed' : undefined}
            icon={
              <ThemeIcon
                size={20}
                radius="xl"
                color={step.done ? 'teal' : 'gray'}
                variant={step.done ? 'filled' : 'light'}
              >
                <Text size="xs" fw={700}>
                  {step.done ? '✓' : index + 1}
                </Text>
              </ThemeIcon>
            }
          >
            {step.text}
          </List.Item>
        ))}
      </List>
      {canDraft && !pending && (
        <Button onClick={() => navigate(routes.newDraft)}>Write the first draft</Button>
      )}
    </Paper>
  );
}
