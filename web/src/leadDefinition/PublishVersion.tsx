import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { usePublishDefinition } from '../api/leadDefinitions.ts';
import type { DefinitionVersion } from '../api/types.ts';
import { formatDateTime, toLocalInput } from '../format.ts';
import { laterStart, publishSentence, tomorrowMorning } from './versionWords.ts';

type When = 'now' | 'later';

interface PublishVersionProps {
  version: number;
  /** Every version: what is in force, and what is scheduled, around the chosen time. */
  versions: DefinitionVersion[];
}

/** The admin's last step: publish a version both teams signed, now or from a later day and time. */
export function PublishVersion({ version, versions }: PublishVersionProps) {
  const [opened, setOpened] = useState(false);
  const [when, setWhen] = useState<When>('now');
  const [later, setLater] = useState('');
  const publish = usePublishDefinition();
  const open = () => {
    setWhen('now');
    setLater(tomorrowMorning());
    publish.reset();
    setOpened(true);
  };
  const chosen = when === 'later' ? laterStart(later) : undefined;
  const effectiveFrom = chosen && 'effectiveFrom' in chosen ? chosen.effectiveFrom : undefined;
  const problem = chosen && 'problem' in chosen ? chosen.problem : undefined;
  const confirm = () =>
    publish.mutate(
      { version, ...(effectiveFrom ? { effectiveFrom } : {}) },
      { onSuccess: () => setOpened(false) },
    );

  return (
    <>
      <Button size="xs" color="teal" onClick={open}>
        Publish
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={<Text fw={700}>Publish version {version}</Text>}
        size="md"
      >
        <Stack gap="md">
          <SegmentedControl
            aria-label="Takes effect"
            value={when}
            onChange={(value) => setWhen(value as When)}
            data={[
              { value: 'now', label: 'Now' },
              { value: 'later', label: 'Later' },
            ]}
          />
          {when === 'later' && (
            <TextInput
              type="datetime-local"
              label="Takes effect on"
              description="In your time zone"
              value={later}
              // The picker offers no time that has passed; typing one is refused below.
              min={toLocalInput(new Date().toISOString())}
              onChange={(event) => setLater(event.currentTarget.value)}
              error={problem}
            />
          )}
          {!problem && (
            <Text size="sm" data-testid="publish-sentence">
              {publishSentence(version, versions, effectiveFrom)}
            </Text>
          )}
          {publish.error && (
            <Alert color="red" title="Not published" role="alert">
              {publish.error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button
              color="teal"
              onClick={confirm}
              loading={publish.isPending}
              disabled={problem !== undefined}
            >
              {confirmLabel(when, effectiveFrom)}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function confirmLabel(when: When, effectiveFrom: string | undefined): string {
  if (when === 'now') return 'Publish now';
  return effectiveFrom ? `Publish for ${formatDateTime(effectiveFrom)}` : 'Publish later';
}
