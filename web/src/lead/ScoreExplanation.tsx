import { Anchor, Badge, ColorSwatch, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { LeadScore } from '../api/types.ts';
import { navigate, routes } from '../router.ts';
import { gradeColors } from './grade.ts';
import { barColors, type ScoreBar } from './scoreBars.ts';

// ECharts loads with the chart, not with the rest of the page.
const ScoreChart = lazy(() => import('./ScoreChart.tsx').then((module) => ({ default: module.ScoreChart })));

/**
 * Why this score: the grade and points, the verdict in words (with `stageNote` when the lead's stage
 * says otherwise), and each rule that gave points.
 */
export function ScoreExplanation({
  score,
  stageNote,
}: {
  score: LeadScore | null;
  stageNote?: string | null;
}) {
  return (
    <Paper withBorder p="md" h="100%" data-testid="score-explanation">
      <Title order={4} mb="xs">
        Why this score
      </Title>
      {score === null ? <NoDefinitionInForce /> : <Explained score={score} stageNote={stageNote ?? null} />}
    </Paper>
  );
}

function Explained({ score, stageNote }: { score: LeadScore; stageNote: string | null }) {
  const bars: ScoreBar[] = [
    ...score.fit.hits.map((hit) => ({ ...hit, kind: 'fit' as const })),
    ...score.engagement.hits.map((hit) => ({ ...hit, kind: 'engagement' as const })),
  ];
  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            Fit
          </Text>
          <Badge size="lg" tt="none" color={gradeColors[score.fit.grade]}>
            grade {score.fit.grade}
          </Badge>
          <Text size="sm">{score.fit.points} points</Text>
        </Group>
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            Engagement
          </Text>
          <Badge size="lg" tt="none" color="violet" variant="light">
            {score.engagement.points} points
          </Badge>
        </Group>
        <Badge
          size="lg"
          tt="none"
          color={score.isMql ? 'teal' : 'gray'}
          variant={score.isMql ? 'filled' : 'outline'}
        >
          {score.isMql ? 'sales-ready (MQL)' : 'not sales-ready'}
        </Badge>
      </Group>
      <Text fw={500} data-testid="verdict">
        {score.verdict}
      </Text>
      {stageNote && (
        <Text size="sm" c="orange.8" data-testid="stage-note">
          {stageNote}
        </Text>
      )}
      {bars.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rule of version {score.version} gave this lead any points.
        </Text>
      ) : (
        <Suspense fallback={<Skeleton height={bars.length * 30} />}>
          <ScoreChart bars={bars} />
        </Suspense>
      )}
      <Text size="xs" c="dimmed">
        <ColorSwatch component="span" color={barColors.fit} size={10} mr={4} display="inline-block" />
        fit rules{'  '}
        <ColorSwatch
          component="span"
          color={barColors.engagement}
          size={10}
          ml="sm"
          mr={4}
          display="inline-block"
        />
        engagement rules (× how many activities counted; older ones count less). Scored by lead definition
        version {score.version}.{' '}
        <Anchor size="xs" href={routes.leadDefinition} onClick={(event) => goToDefinition(event)}>
          See all rules
        </Anchor>
      </Text>
    </Stack>
  );
}

function NoDefinitionInForce() {
  return (
    <Stack gap="xs" data-testid="no-score">
      <Text>This lead has no score yet: no lead definition is in force.</Text>
      <Text size="sm" c="dimmed">
        Once marketing and sales sign a definition and an admin publishes it, every lead is scored by it and
        this card shows which rules gave the points.
      </Text>
      <Anchor href={routes.leadDefinition} onClick={(event) => goToDefinition(event)}>
        Go to the lead definition →
      </Anchor>
    </Stack>
  );
}

function goToDefinition(event: { preventDefault: () => void }) {
  event.preventDefault();
  navigate(routes.leadDefinition);
}
