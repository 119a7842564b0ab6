import { Alert, Badge, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useDefinitionDiff } from '../api/leadDefinitions.ts';
import { type ChangeKind, diffLines, diffSummary } from './diffWords.ts';

const kindColors: Record<ChangeKind, string> = {
  added: 'teal',
  removed: 'red',
  changed: 'blue',
  setting: 'grape',
};

const firstLines = 8;

/** What this version changes against the one in force, rule by rule, in words. */
export function WhatChanged({ version }: { version: number }) {
  const diff = useDefinitionDiff(version);
  const [all, setAll] = useState(false);
  if (diff.isError) {
    return (
      <Alert color="red" title="What changed could not be loaded">
        {diff.error.message}
      </Alert>
    );
  }
  if (diff.data === undefined) return <Skeleton height={80} />;
  if (diff.data === null) {
    return (
      <Text size="sm" c="dimmed">
        Nothing is in force yet, so there is nothing to compare version {version} with.
      </Text>
    );
  }
  const lines = diffLines(diff.data);
  const visible = all ? lines : lines.slice(0, firstLines);
  return (
    <Stack gap={6} data-testid="what-changed">
      <Group gap="xs" align="baseline">
        <Title order={5}>What changed against version {diff.data.against}</Title>
        <Text size="sm" c="dimmed">
          {diffSummary(lines)}
        </Text>
      </Group>
      {visible.map((line, index) => (
        // Two lines can read the same (two rules with one condition); the position tells them apart.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is derived and never reordered
        <Group key={index} gap={8} wrap="nowrap" align="flex-start">
          <Badge size="sm" variant="light" color={kindColors[line.kind]} w={84} style={{ flexShrink: 0 }}>
            {line.kind === 'setting' ? 'threshold' : line.kind}
          </Badge>
          <Text size="sm">
            {line.part !== 'Threshold' && (
              <Text span c="dimmed" size="sm">
                {line.part}:{' '}
              </Text>
            )}
            {line.text}
          </Text>
        </Group>
      ))}
      {lines.length > visible.length && (
        <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => setAll(true)}>
          Show all {lines.length} changes
        </Button>
      )}
    </Stack>
  );
}
