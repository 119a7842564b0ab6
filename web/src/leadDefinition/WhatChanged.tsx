import { Alert, Badge, Button, Group, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useDefinitionDiff, useLeadDefinitions } from '../api/leadDefinitions.ts';
import {
  type ChangeKind,
  comparisonOptions,
  defaultComparison,
  diffLines,
  diffSummary,
} from './diffWords.ts';

const kindColors: Record<ChangeKind, string> = {
  added: 'teal',
  removed: 'red',
  changed: 'blue',
  setting: 'grape',
};

const firstLines = 8;

/** What this version changes against another (first the one in force), rule by rule, in words. */
export function WhatChanged({ version }: { version: number }) {
  const definitions = useLeadDefinitions();
  const versions = definitions.data ?? [];
  const [picked, setPicked] = useState<number | undefined>();
  const against = picked ?? defaultComparison(versions, version);
  const diff = useDefinitionDiff(version, against);
  const [all, setAll] = useState(false);
  if (!definitions.data) return <Skeleton height={80} />;
  if (against === undefined) {
    return (
      <Text size="sm" c="dimmed">
        There is no other version to compare version {version} with yet.
      </Text>
    );
  }
  const lines = diff.data ? diffLines(diff.data) : [];
  const visible = all ? lines : lines.slice(0, firstLines);
  return (
    <Stack gap={6} data-testid="what-changed">
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Stack gap={0}>
          <Title order={5}>What changed against version {against}</Title>
          {diff.data && !diff.isPlaceholderData && (
            <Text size="sm" c="dimmed">
              {diffSummary(lines)}
            </Text>
          )}
        </Stack>
        <Select
          label="Compare with"
          size="xs"
          w={220}
          allowDeselect={false}
          data={comparisonOptions(versions, version)}
          value={String(against)}
          onChange={(value) => {
            if (value) setPicked(Number(value));
          }}
        />
      </Group>
      {diff.isError && (
        <Alert color="red" title="What changed could not be loaded">
          {diff.error.message}
        </Alert>
      )}
      {diff.isPending && <Skeleton height={80} />}
      <Stack gap={6} opacity={diff.isPlaceholderData ? 0.5 : 1}>
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
      </Stack>
      {lines.length > visible.length && (
        <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => setAll(true)}>
          Show all {lines.length} changes
        </Button>
      )}
    </Stack>
  );
}
