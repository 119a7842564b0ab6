import { Group, Progress, Text } from '@mantine/core';
import type { DefinitionVersion } from '../api/types.ts';
import { formatCount, formatDate } from '../format.ts';

/** "1 became an MQL", "12 became MQLs". */
export function madeMqlWords(count: number): string {
  return `${formatCount(count)} became ${count === 1 ? 'an MQL' : 'MQLs'}`;
}

/** After a version takes effect every lead is scored again; this says how far that got. */
export function RescoringProgress({ version }: { version: DefinitionVersion }) {
  const { rescoring } = version;
  if (!rescoring) return null;
  const mqls = madeMqlWords(rescoring.madeMql);
  if (rescoring.finishedAt) {
    return (
      <Text size="sm" c="dimmed" data-testid="rescoring">
        All {formatCount(rescoring.total)} leads were re-scored by version {version.version} on{' '}
        {formatDate(rescoring.finishedAt)}; {mqls}.
      </Text>
    );
  }
  const share = rescoring.total === 0 ? 100 : (rescoring.done / rescoring.total) * 100;
  return (
    <Group gap="sm" data-testid="rescoring">
      <Text size="sm">
        Re-scoring leads by version {version.version}: {formatCount(rescoring.done)} of{' '}
        {formatCount(rescoring.total)}, {mqls} so far
      </Text>
      <Progress value={share} w={200} animated aria-label="Re-scoring progress" />
    </Group>
  );
}
