import { Group, Progress, Text } from '@mantine/core';
import type { DefinitionVersion } from '../api/types.ts';
import { rescoringSentence } from './rescoringWords.ts';

/** After a version takes effect every lead is scored again; this says how far that got. */
export function RescoringProgress({ version }: { version: DefinitionVersion }) {
  const { rescoring } = version;
  if (!rescoring) return null;
  const sentence = rescoringSentence(version.version, rescoring);
  if (rescoring.finishedAt) {
    return (
      <Text size="sm" c="dimmed" data-testid="rescoring">
        {sentence}
      </Text>
    );
  }
  return (
    <Group gap="sm" data-testid="rescoring">
      <Text size="sm">{sentence}</Text>
      <Progress value={rescoring.share * 100} w={200} animated aria-label="Re-scoring progress" />
    </Group>
  );
}
