import {
  Alert,
  Button,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useLearnDefinition } from '../api/leadDefinitions.ts';
import type { Learned, LearnedOutcome } from '../api/types.ts';
import { formatCount } from '../format.ts';
import {
  aucSentence,
  calibrationSentence,
  learnedOutcomes,
  liftSentence,
  outcomeWords,
} from './learnedWords.ts';

// ECharts loads with the chart, not with the page.
const LiftChart = lazy(() => import('./LiftChart.tsx').then((module) => ({ default: module.LiftChart })));
const CalibrationChart = lazy(() =>
  import('./CalibrationChart.tsx').then((module) => ({ default: module.CalibrationChart })),
);

interface LearnFromOutcomesProps {
  /** Opens the backtest of the new draft. */
  onBacktest: (version: number) => void;
}

/** Fit points learned from what really happened to past leads, proposed as a draft both teams can read and sign. */
export function LearnFromOutcomes({ onBacktest }: LearnFromOutcomesProps) {
  const [opened, setOpened] = useState(false);
  const [outcome, setOutcome] = useState<LearnedOutcome>('won');
  const learn = useLearnDefinition();
  const close = () => {
    setOpened(false);
    learn.reset();
  };

  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)}>
        Learn from outcomes
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        size={980}
        title={<Text fw={700}>Learn fit points from outcomes</Text>}
      >
        <Stack gap="md">
          {!learn.data && (
            <>
              <Text size="sm">
                Lockstep looks at every past lead whose outcome is known, learns which facts about them
                (source, title, industry, size, country…) went with that outcome, and checks what it learned
                on leads it held back. The result is a new draft: nothing changes until both teams sign it.
              </Text>
              <Group gap="sm" align="center">
                <Text size="sm" fw={500}>
                  Learn what predicts
                </Text>
                <SegmentedControl
                  aria-label="Outcome"
                  value={outcome}
                  onChange={(value) => setOutcome(value as LearnedOutcome)}
                  data={[...learnedOutcomes]}
                  disabled={learn.isPending}
                />
                <Button onClick={() => learn.mutate({ outcome })} loading={learn.isPending}>
                  Learn
                </Button>
              </Group>
            </>
          )}
          {learn.isPending && (
            <Stack gap={4} data-testid="learning">
              <Text size="sm">
                Learning from every lead with a known outcome and testing on the ones held back…
              </Text>
              <Progress value={100} animated striped aria-label="Learning" />
            </Stack>
          )}
          {learn.isError && (
            <Alert color="orange" title="Nothing learned" data-testid="learn-problem">
              {learn.error.message}
            </Alert>
          )}
          {learn.data && (
            <LearnedResult
              learned={learn.data}
              outcome={learn.variables?.outcome ?? outcome}
              onBacktest={() => {
                close();
                onBacktest(learn.data.definition.version);
              }}
              onShowVersion={() => {
                close();
                // The versions list is read again after learning; the new draft is its first row.
                requestAnimationFrame(() =>
                  document
                    .querySelector(`tr[data-version="${learn.data.definition.version}"]`)
                    ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
                );
              }}
            />
          )}
        </Stack>
      </Modal>
    </>
  );
}

interface LearnedResultProps {
  learned: Learned;
  outcome: LearnedOutcome;
  onBacktest: () => void;
  onShowVersion: () => void;
}

function LearnedResult({ learned, outcome, onBacktest, onShowVersion }: LearnedResultProps) {
  const { definition, evaluation } = learned;
  return (
    <Stack gap="sm" data-testid="learned">
      <Text fz="lg" fw={600} data-testid="auc-sentence">
        {aucSentence(evaluation.auc, outcome)}
      </Text>
      <Text size="sm" c="dimmed">
        Learned from {formatCount(learned.leads)} leads with a known outcome;{' '}
        {definition.rules.fit.rules.length} fit rules, saved as version {definition.version}, a draft.
      </Text>
      <SimpleGrid cols={2} spacing="xl">
        <Stack gap={6}>
          <Text size="sm" fw={500} data-testid="lift-sentence">
            {liftSentence(evaluation.deciles, evaluation.holdoutRate, outcome)}
          </Text>
          <Text size="xs" c="dimmed">
            The leads it held back, in tenths by learned score (best first): each bar is how many times the
            average rate that tenth reached. A good score puts tall bars on the left.
          </Text>
          <Suspense fallback={<Skeleton height={220} />}>
            <LiftChart deciles={evaluation.deciles} />
          </Suspense>
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={500} data-testid="calibration-sentence">
            {calibrationSentence(evaluation.deciles, outcome)}
          </Text>
          <Text size="xs" c="dimmed">
            Each point is a tenth of the same leads: across, the chance the learned score gave them; up, how
            many of them {outcomeWords[outcome].rate}. On the dashed line, what it predicted is what happened.
          </Text>
          <Suspense fallback={<Skeleton height={220} />}>
            <CalibrationChart deciles={evaluation.deciles} outcome={outcome} />
          </Suspense>
        </Stack>
      </SimpleGrid>
      <Group gap="sm">
        <Button onClick={onBacktest}>Backtest version {definition.version}</Button>
        <Button variant="default" onClick={onShowVersion}>
          See version {definition.version} in the versions list
        </Button>
      </Group>
    </Stack>
  );
}
