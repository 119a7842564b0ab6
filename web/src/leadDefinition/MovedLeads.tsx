import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useLifecycle } from '../api/lead.ts';
import type { MovedLeads as Moved } from '../api/types.ts';
import { formatCount } from '../format.ts';
import { stageName } from '../people/names.ts';
import { leadPath, navigate } from '../router.ts';

const shown = 6;

interface MovedLeadsProps {
  title: string;
  moved: Moved;
  testId: string;
}

/** The leads only one of the two versions makes MQLs: how many, and the first few, each opening its page. */
export function MovedLeads({ title, moved, testId }: MovedLeadsProps) {
  const lifecycle = useLifecycle();
  const more = moved.count - Math.min(shown, moved.sample.length);
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Group gap={8} mb={6} wrap="nowrap" align="baseline">
        <Text fw={700} fz="xl" data-testid={`${testId}-count`}>
          {formatCount(moved.count)}
        </Text>
        <Text size="sm" fw={500}>
          {title}
        </Text>
      </Group>
      {moved.count === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        <Stack gap={2}>
          {moved.sample.slice(0, shown).map((lead) => (
            <Group key={lead.id} gap={6} wrap="nowrap" justify="space-between">
              <Anchor
                size="sm"
                href={leadPath(lead.id)}
                truncate
                onClick={(event) => {
                  event.preventDefault();
                  navigate(leadPath(lead.id));
                }}
              >
                {lead.email ?? 'Lead without email'}
              </Anchor>
              <Badge size="xs" variant="light" color="gray" tt="none" style={{ flexShrink: 0 }}>
                now {stageName(lead.stage, lifecycle.data?.stages)}
              </Badge>
            </Group>
          ))}
          {more > 0 && (
            <Text size="xs" c="dimmed">
              and {formatCount(more)} more
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
