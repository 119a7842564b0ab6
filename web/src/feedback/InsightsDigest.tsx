import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDate } from '../format.ts';
import { leadPath, navigate } from '../router.ts';
import type { FeedbackReport } from './feedbackApi.ts';

const kindColors: Record<string, string> = {
  competitor_seen: 'red',
  pricing_objection: 'orange',
  value_proposition: 'blue',
  product_gap: 'grape',
  other: 'gray',
};

/** What reps hear in the field: how often each kind, the competitors named, and the latest notes. */
export function InsightsDigest({ digest }: { digest: FeedbackReport['insightsDigest'] }) {
  const total = digest.byKind.reduce((sum, k) => sum + k.count, 0);
  const [showAll, setShowAll] = useState(false);
  const latest = showAll ? digest.latest : digest.latest.slice(0, 6);
  return (
    <Paper withBorder p="md" h="100%">
      <Stack gap="sm">
        <div>
          <Title order={3}>From the field</Title>
          <Text size="sm" c="dimmed">
            {total === 0
              ? 'No field insight logged yet: reps log them from My queue.'
              : `${total} insights logged by reps in this range.`}
          </Text>
        </div>
        {total > 0 && (
          <Group gap="xs">
            {digest.byKind.map((k) => (
              <Badge key={k.kind} color={kindColors[k.kind] ?? 'gray'} variant="light" tt="none" size="lg">
                {k.label}: {k.count}
              </Badge>
            ))}
          </Group>
        )}
        {digest.topCompetitors.length > 0 && (
          <Text size="sm">
            <b>Competitors named:</b>{' '}
            {digest.topCompetitors.map((c) => `${c.competitor} (${c.count})`).join(', ')}
          </Text>
        )}
        <Stack gap={6} data-testid="latest-insights">
          {latest.map((insight) => (
            <Paper key={insight.id} withBorder p="xs" radius="sm" bg="gray.0">
              <Group gap={6} mb={2}>
                <Badge size="xs" color={kindColors[insight.kind] ?? 'gray'} tt="none">
                  {insight.kindLabel}
                  {insight.competitor ? `: ${insight.competitor}` : ''}
                </Badge>
                <Text size="xs" c="dimmed">
                  {insight.userName ?? 'a rep'} · {formatDate(insight.createdAt)} · on{' '}
                  {insight.personId ? (
                    <Anchor
                      size="xs"
                      href={leadPath(insight.personId)}
                      onClick={(event) => {
                        event.preventDefault();
                        if (insight.personId) navigate(leadPath(insight.personId));
                      }}
                    >
                      {insight.personName ?? 'a lead'}
                    </Anchor>
                  ) : (
                    (insight.accountName ?? 'an account')
                  )}
                  {insight.personId && insight.accountName ? ` (${insight.accountName})` : ''}
                </Text>
              </Group>
              <Text size="sm">{insight.text}</Text>
            </Paper>
          ))}
        </Stack>
        {digest.latest.length > 6 && (
          <Button size="compact-xs" variant="subtle" w="fit-content" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show the latest 6' : `Show the latest ${digest.latest.length}`}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
