import { Badge, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useLeadScore } from '../api/lead.ts';
import type { QueueItem } from '../api/queue.ts';
import { gradeColors } from '../lead/grade.ts';
import { notMqlWords } from './scoreWords.ts';

/** Why this lead is an MQL, in one glance: fit grade, engagement points and the rules that gave most. */
export function ScoreWhy({ item }: { item: QueueItem }) {
  const score = useLeadScore(item.personId);
  if (score.isPending) return <Skeleton height={36} />;
  const grade = score.data?.fit.grade ?? item.grade;
  const engagement = score.data?.engagement.points ?? item.engagementPoints;
  const top = score.data
    ? [...score.data.fit.hits, ...score.data.engagement.hits]
        .filter((hit) => hit.points !== 0)
        .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
        .slice(0, 3)
    : [];
  if (score.data === null && !grade) {
    return (
      <Text size="xs" c="dimmed">
        Not scored yet: no lead definition is in force.
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {score.data && !score.data.isMql && (
        <Text size="xs" c="orange.8">
          {notMqlWords(score.data)}
        </Text>
      )}
      <Group gap={6} wrap="nowrap">
        {grade ? (
          <Badge size="sm" tt="none" color={gradeColors[grade] ?? 'gray'}>
            fit {grade}
          </Badge>
        ) : (
          <Badge size="sm" tt="none" color="gray" variant="outline">
            no grade
          </Badge>
        )}
        {engagement !== null && engagement !== undefined && (
          <Badge size="sm" tt="none" color="violet" variant="light">
            {Math.round(engagement)} engagement pts
          </Badge>
        )}
      </Group>
      {top.length > 0 ? (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {top
            .map((hit) => `${hit.label} (${hit.points > 0 ? '+' : ''}${Math.round(hit.points)})`)
            .join(' · ')}
        </Text>
      ) : (
        <Text size="xs" c="dimmed">
          {score.data === null
            ? 'Score not explained: no lead definition is in force yet.'
            : 'No rule of the definition in force gave points.'}
        </Text>
      )}
    </Stack>
  );
}
